/// The ADTS frame header (ISO/IEC 14496-3 §1.A.2.2.1, `adts_fixed_header` + `adts_variable_header`).
public struct ADTSHeader: Sendable, Hashable {
    /// MPEG-2 (1) or MPEG-4 (0) `ID`.
    public var mpeg2: Bool
    /// `profile_ObjectType`: audio object type minus one (1 = AAC-LC).
    public var profile: UInt8
    public var samplingFrequencyIndex: UInt8
    public var channelConfiguration: UInt8
    /// `aac_frame_length`: the whole frame, header included.
    public var frameLength: Int
    public var bufferFullness: UInt16
    /// `number_of_raw_data_blocks_in_frame + 1`.
    public var rawDataBlocks: Int
    /// The CRC when `protection_absent` is 0 (header is then 9 bytes).
    public var crc: UInt16?

    public init(profile: UInt8 = 1, samplingFrequencyIndex: UInt8, channelConfiguration: UInt8, frameLength: Int,
                mpeg2: Bool = false, bufferFullness: UInt16 = 0x7FF, rawDataBlocks: Int = 1, crc: UInt16? = nil) {
        self.mpeg2 = mpeg2
        self.profile = profile
        self.samplingFrequencyIndex = samplingFrequencyIndex
        self.channelConfiguration = channelConfiguration
        self.frameLength = frameLength
        self.bufferFullness = bufferFullness
        self.rawDataBlocks = rawDataBlocks
        self.crc = crc
    }

    public var headerLength: Int { crc == nil ? 7 : 9 }

    public init(parsing bytes: [UInt8]) throws(CodecsError) {
        var c = ByteCursor(bytes, what: "ADTS header")
        let b = try c.take(7)
        guard b[0] == 0xFF, b[1] & 0xF6 == 0xF0 else { throw .invalid(what: "ADTS header", reason: "no syncword / layer not 0") }
        mpeg2 = b[1] & 0x08 != 0
        let protectionAbsent = b[1] & 0x01 != 0
        profile = b[2] >> 6
        samplingFrequencyIndex = (b[2] >> 2) & 0x0F
        guard Int(samplingFrequencyIndex) < AudioSpecificConfig.samplingFrequencies.count else {
            throw .invalid(what: "ADTS header", reason: "sampling_frequency_index \(samplingFrequencyIndex)")
        }
        channelConfiguration = (b[2] & 0x01) << 2 | b[3] >> 6
        frameLength = Int(b[3] & 0x03) << 11 | Int(b[4]) << 3 | Int(b[5] >> 5)
        bufferFullness = UInt16(b[5] & 0x1F) << 6 | UInt16(b[6] >> 2)
        rawDataBlocks = Int(b[6] & 0x03) + 1
        crc = protectionAbsent ? nil : try c.u16()
        guard frameLength >= headerLength else {
            throw .invalid(what: "ADTS header", reason: "aac_frame_length \(frameLength) shorter than the header")
        }
    }

    public func serialized() -> [UInt8] {
        precondition(frameLength < 1 << 13 && (1...4).contains(rawDataBlocks))
        var out: [UInt8] = [
            0xFF, 0xF0 | (mpeg2 ? 0x08 : 0) | (crc == nil ? 0x01 : 0),
            profile << 6 | samplingFrequencyIndex << 2 | channelConfiguration >> 2,
            (channelConfiguration & 0x03) << 6 | UInt8(frameLength >> 11),
            UInt8(truncatingIfNeeded: frameLength >> 3),
            UInt8(truncatingIfNeeded: frameLength << 5) | UInt8(bufferFullness >> 6),
            UInt8(truncatingIfNeeded: bufferFullness << 2) | UInt8(rawDataBlocks - 1),
        ]
        if let crc { out.appendU16(crc) }
        return out
    }

    /// The AudioSpecificConfig an ADTS stream implies (object type = profile + 1).
    public var audioSpecificConfig: AudioSpecificConfig {
        AudioSpecificConfig(audioObjectType: profile + 1,
                            samplingFrequency: AudioSpecificConfig.samplingFrequencies[Int(samplingFrequencyIndex)],
                            channelConfiguration: channelConfiguration)
    }
}
