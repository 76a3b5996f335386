/// `AVCDecoderConfigurationRecord`, the `avcC` box payload and the FLV AVC sequence header
/// (ISO/IEC 14496-15 §5.3.3.1).
public struct AVCDecoderConfigurationRecord: Sendable, Hashable {
    public var profileIndication: UInt8
    public var profileCompatibility: UInt8
    public var levelIndication: UInt8
    /// Bytes of each NAL unit length in samples: 1, 2 or 4 (`lengthSizeMinusOne + 1`).
    public var nalLengthSize: Int
    public var sequenceParameterSets: [[UInt8]]
    public var pictureParameterSets: [[UInt8]]
    /// The High-profile extension (chroma format, bit depths, SPS extensions), when present.
    public var highProfileExtension: HighProfileExtension?

    public struct HighProfileExtension: Sendable, Hashable {
        public var chromaFormat: UInt8
        public var bitDepthLumaMinus8: UInt8
        public var bitDepthChromaMinus8: UInt8
        public var sequenceParameterSetExtensions: [[UInt8]]

        public init(chromaFormat: UInt8, bitDepthLumaMinus8: UInt8, bitDepthChromaMinus8: UInt8, sequenceParameterSetExtensions: [[UInt8]] = []) {
            self.chromaFormat = chromaFormat
            self.bitDepthLumaMinus8 = bitDepthLumaMinus8
            self.bitDepthChromaMinus8 = bitDepthChromaMinus8
            self.sequenceParameterSetExtensions = sequenceParameterSetExtensions
        }
    }

    public init(
        profileIndication: UInt8, profileCompatibility: UInt8, levelIndication: UInt8, nalLengthSize: Int = 4,
        sequenceParameterSets: [[UInt8]], pictureParameterSets: [[UInt8]], highProfileExtension: HighProfileExtension? = nil
    ) {
        self.profileIndication = profileIndication
        self.profileCompatibility = profileCompatibility
        self.levelIndication = levelIndication
        self.nalLengthSize = nalLengthSize
        self.sequenceParameterSets = sequenceParameterSets
        self.pictureParameterSets = pictureParameterSets
        self.highProfileExtension = highProfileExtension
    }

    /// Builds a record from an SPS and PPS, taking profile, compatibility and level from the SPS.
    public init(sps: [UInt8], pps: [UInt8]) throws(CodecsError) {
        try self.init(sequenceParameterSets: [sps], pictureParameterSets: [pps])
    }

    public init(parsing bytes: [UInt8]) throws(CodecsError) {
        var c = ByteCursor(bytes, what: "avcC")
        let version = try c.u8()
        guard version == 1 else { throw .unsupported(what: "avcC", reason: "configurationVersion \(version)") }
        profileIndication = try c.u8()
        profileCompatibility = try c.u8()
        levelIndication = try c.u8()
        nalLengthSize = Int(try c.u8() & 0x03) + 1
        guard nalLengthSize != 3 else { throw .invalid(what: "avcC", reason: "lengthSizeMinusOne 2 is not allowed") }
        let spsCount = Int(try c.u8() & 0x1F)
        // The 5-bit field cannot exceed the limit; the check documents the bound.
        guard spsCount <= CodecsLimits.maxAVCSequenceParameterSets else {
            throw .limitExceeded(what: "avcC SPS count", value: spsCount, limit: CodecsLimits.maxAVCSequenceParameterSets)
        }
        sequenceParameterSets = []
        for _ in 0..<spsCount { sequenceParameterSets.append(try c.take(Int(try c.u16()))) }
        let ppsCount = Int(try c.u8())
        guard ppsCount <= CodecsLimits.maxAVCPictureParameterSets else {
            throw .limitExceeded(what: "avcC PPS count", value: ppsCount, limit: CodecsLimits.maxAVCPictureParameterSets)
        }
        pictureParameterSets = []
        for _ in 0..<ppsCount { pictureParameterSets.append(try c.take(Int(try c.u16()))) }
        highProfileExtension = nil
        // §5.3.3.1.2: the extension follows for profiles 100, 110, 122 and 144. Many muxers (older
        // ffmpeg, some encoders) omit it, so it is read only when bytes remain.
        if [100, 110, 122, 144].contains(profileIndication), c.remaining >= 4 {
            let chroma = try c.u8() & 0x03
            let luma = try c.u8() & 0x07
            let chromaDepth = try c.u8() & 0x07
            let extCount = Int(try c.u8())
            var exts: [[UInt8]] = []
            for _ in 0..<extCount { exts.append(try c.take(Int(try c.u16()))) }
            highProfileExtension = HighProfileExtension(chromaFormat: chroma, bitDepthLumaMinus8: luma,
                                                        bitDepthChromaMinus8: chromaDepth, sequenceParameterSetExtensions: exts)
        }
    }

    /// Serialises the record. Reserved bits are written as ones, as §5.3.3.1.1 requires.
    public func serialized() -> [UInt8] {
        precondition([1, 2, 4].contains(nalLengthSize))
        precondition(sequenceParameterSets.count < 32 && pictureParameterSets.count < 256)
        var out: [UInt8] = [1, profileIndication, profileCompatibility, levelIndication,
                            0xFC | UInt8(nalLengthSize - 1), 0xE0 | UInt8(sequenceParameterSets.count)]
        for sps in sequenceParameterSets {
            out.appendU16(UInt16(sps.count))
            out += sps
        }
        out.append(UInt8(pictureParameterSets.count))
        for pps in pictureParameterSets {
            out.appendU16(UInt16(pps.count))
            out += pps
        }
        if let ext = highProfileExtension {
            out += [0xFC | ext.chromaFormat, 0xF8 | ext.bitDepthLumaMinus8, 0xF8 | ext.bitDepthChromaMinus8,
                    UInt8(ext.sequenceParameterSetExtensions.count)]
            for e in ext.sequenceParameterSetExtensions {
                out.appendU16(UInt16(e.count))
                out += e
            }
        }
        return out
    }

    /// The first SPS, parsed.
    public func parsedSPS() throws(CodecsError) -> H264SPS {
        guard let sps = sequenceParameterSets.first else { throw .invalid(what: "avcC", reason: "no SPS") }
        return try H264SPS(nalUnit: sps)
    }

    /// RFC 6381 codec string from the record's own profile/compatibility/level bytes.
    public var codecString: String {
        "avc1." + hex(UInt32(profileIndication), digits: 2) + hex(UInt32(profileCompatibility), digits: 2)
            + hex(UInt32(levelIndication), digits: 2)
    }
}
