import MediaCore

/// `AudioSpecificConfig` (ISO/IEC 14496-3 §1.6.2.1) for the AAC object types Antenne carries:
/// AAC Main/LC/SSR/LTP with `GASpecificConfig` (§4.4.1), plus SBR (HE-AAC, object type 5) and PS
/// (HE-AAC v2, object type 29) in explicit hierarchical or backward-compatible signalling (§1.6.6).
public struct AudioSpecificConfig: Sendable, Hashable {
    /// The object type as signalled first: 2 for AAC-LC, 5 or 29 for explicit HE-AAC signalling.
    public var audioObjectType: UInt8
    /// The core codec's object type: equal to `audioObjectType` unless that is 5 or 29, then the
    /// underlying type (2 for HE-AAC).
    public var coreObjectType: UInt8
    /// The core sampling frequency in Hz (half the output rate when SBR is present).
    public var samplingFrequency: Int
    public var channelConfiguration: UInt8
    /// `frameLengthFlag`: 960-sample frames instead of 1024.
    public var frameLengthFlag: Bool
    public var sbrPresent: Bool
    public var psPresent: Bool
    /// The SBR output sampling frequency, when SBR is signalled.
    public var extensionSamplingFrequency: Int?

    /// `samplingFrequencyIndex` values 0...12 (Table 1.18); 15 means a 24-bit explicit value.
    public static let samplingFrequencies = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350]
    /// Object types with `GASpecificConfig` (Table 1.15): 1 Main, 2 LC, 3 SSR, 4 LTP, 6 Scalable, 7 TwinVQ.
    static let gaObjectTypes: Set<UInt8> = [1, 2, 3, 4, 6, 7]
    /// An explicit sampling frequency above 96 kHz (the largest indexed rate) is refused.
    public static let maxSamplingFrequency = 96_000

    public init(
        audioObjectType: UInt8 = 2, samplingFrequency: Int, channelConfiguration: UInt8, frameLengthFlag: Bool = false,
        sbrPresent: Bool = false, psPresent: Bool = false, extensionSamplingFrequency: Int? = nil, coreObjectType: UInt8? = nil
    ) {
        self.audioObjectType = audioObjectType
        self.coreObjectType = coreObjectType ?? ((audioObjectType == 5 || audioObjectType == 29) ? 2 : audioObjectType)
        self.samplingFrequency = samplingFrequency
        self.channelConfiguration = channelConfiguration
        self.frameLengthFlag = frameLengthFlag
        self.sbrPresent = sbrPresent || audioObjectType == 5 || audioObjectType == 29
        self.psPresent = psPresent || audioObjectType == 29
        self.extensionSamplingFrequency = extensionSamplingFrequency
    }

    public init(parsing bytes: [UInt8]) throws(CodecsError) {
        var r = BitReader(bytes)
        let w = "AudioSpecificConfig"
        audioObjectType = try Self.readObjectType(&r)
        samplingFrequency = try Self.readFrequency(&r)
        channelConfiguration = UInt8(try r.bits(4, w))
        sbrPresent = false
        psPresent = false
        extensionSamplingFrequency = nil
        coreObjectType = audioObjectType
        if audioObjectType == 5 || audioObjectType == 29 {
            sbrPresent = true
            psPresent = audioObjectType == 29
            extensionSamplingFrequency = try Self.readFrequency(&r)
            coreObjectType = try Self.readObjectType(&r)
        }
        guard Self.gaObjectTypes.contains(coreObjectType) else {
            throw .unsupported(what: w, reason: "audio object type \(coreObjectType)")
        }
        guard (1...7).contains(channelConfiguration) else {
            // 0 means a program_config_element follows: not produced by streaming encoders.
            throw .unsupported(what: w, reason: "channelConfiguration \(channelConfiguration)")
        }
        // GASpecificConfig (§4.4.1).
        frameLengthFlag = try r.flag(w)
        if try r.flag(w) { try r.skip(14, w) }  // dependsOnCoreCoder: coreCoderDelay
        let extensionFlag = try r.flag(w)
        if coreObjectType == 6 || coreObjectType == 20 { try r.skip(3, w) }  // layerNr
        if extensionFlag, coreObjectType == 22 || coreObjectType == 17 || coreObjectType == 19 || coreObjectType == 20 || coreObjectType == 23 {
            throw .unsupported(what: w, reason: "error-resilient extension")
        }
        // Backward-compatible SBR/PS signalling: syncExtensionType 0x2B7 (§1.6.6.2).
        if !sbrPresent, r.bitsLeft >= 16, try r.bits(11, w) == 0x2B7 {
            let extType = try Self.readObjectType(&r)
            if extType == 5 {
                sbrPresent = try r.flag(w)
                if sbrPresent {
                    extensionSamplingFrequency = try Self.readFrequency(&r)
                    if r.bitsLeft >= 12, try r.bits(11, w) == 0x548 { psPresent = try r.flag(w) }
                }
            }
        }
    }

    private static func readObjectType(_ r: inout BitReader) throws(CodecsError) -> UInt8 {
        let t = UInt8(try r.bits(5, "AudioSpecificConfig audioObjectType"))
        return t == 31 ? 32 + UInt8(try r.bits(6, "AudioSpecificConfig audioObjectTypeExt")) : t
    }

    private static func readFrequency(_ r: inout BitReader) throws(CodecsError) -> Int {
        let w = "AudioSpecificConfig samplingFrequencyIndex"
        let index = Int(try r.bits(4, w))
        if index == 0xF {
            let f = Int(try r.bits(24, w))
            guard (1...maxSamplingFrequency).contains(f) else { throw .invalid(what: w, reason: "explicit frequency \(f)") }
            return f
        }
        guard index < samplingFrequencies.count else { throw .invalid(what: w, reason: "reserved index \(index)") }
        return samplingFrequencies[index]
    }

    /// Serialises with the same signalling the fields describe: explicit hierarchical when
    /// `audioObjectType` is 5 or 29, backward-compatible sync extension when SBR is present otherwise.
    public func serialized() -> [UInt8] {
        var w = BitWriter()
        func objectType(_ t: UInt8) {
            if t >= 32 {
                w.writeBits(31, count: 5)
                w.writeBits(UInt32(t - 32), count: 6)
            } else {
                w.writeBits(UInt32(t), count: 5)
            }
        }
        func frequency(_ f: Int) {
            if let i = Self.samplingFrequencies.firstIndex(of: f) {
                w.writeBits(UInt32(i), count: 4)
            } else {
                w.writeBits(0xF, count: 4)
                w.writeBits(UInt32(f), count: 24)
            }
        }
        objectType(audioObjectType)
        frequency(samplingFrequency)
        w.writeBits(UInt32(channelConfiguration), count: 4)
        let explicit = audioObjectType == 5 || audioObjectType == 29
        if explicit {
            frequency(extensionSamplingFrequency ?? samplingFrequency * 2)
            objectType(coreObjectType)
        }
        w.writeFlag(frameLengthFlag)
        w.writeFlag(false)  // dependsOnCoreCoder
        w.writeFlag(false)  // extensionFlag
        // layerNr (§4.4.1), which parsing reads past: without it the bits after are misread.
        if coreObjectType == 6 || coreObjectType == 20 { w.writeBits(0, count: 3) }
        if !explicit, sbrPresent {
            w.writeBits(0x2B7, count: 11)
            objectType(5)
            w.writeFlag(true)
            frequency(extensionSamplingFrequency ?? samplingFrequency * 2)
            if psPresent {
                w.writeBits(0x548, count: 11)
                w.writeFlag(true)
            }
        }
        return w.bytes
    }

    /// The decoded output rate: the SBR rate when SBR is signalled, else the core rate.
    public var outputSampleRate: Int { sbrPresent ? (extensionSamplingFrequency ?? samplingFrequency * 2) : samplingFrequency }

    /// Output samples per frame at `outputSampleRate`: 1024 (960 with `frameLengthFlag`), doubled by SBR.
    public var samplesPerFrame: Int { (frameLengthFlag ? 960 : 1024) * (sbrPresent ? 2 : 1) }

    /// Output channels: Table 1.19 (configuration 7 is 7.1, eight channels); PS makes mono stereo.
    public var channelCount: Int {
        if psPresent && channelConfiguration == 1 { return 2 }
        return channelConfiguration == 7 ? 8 : Int(channelConfiguration)
    }

    /// RFC 6381 `mp4a.40.N`: 29 when PS is present, 5 when SBR is, else the object type.
    public var codecString: String {
        "mp4a.40.\(psPresent ? 29 : sbrPresent ? 5 : Int(audioObjectType))"
    }

    /// The parameters a track carries; its timescale is `outputSampleRate`.
    public var audioParameters: AudioParameters {
        AudioParameters(sampleRate: outputSampleRate, channelCount: channelCount, samplesPerFrame: samplesPerFrame)
    }
}
