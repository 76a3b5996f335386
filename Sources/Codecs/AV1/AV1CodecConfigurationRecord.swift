/// `AV1CodecConfigurationRecord`, the `av1C` box payload and the Enhanced RTMP AV1 sequence start
/// (AV1 Codec ISO Media File Format Binding §2.3.3).
public struct AV1CodecConfigurationRecord: Sendable, Hashable {
    public var seqProfile: UInt8
    public var seqLevelIdx0: UInt8
    public var seqTier0: UInt8
    public var highBitdepth: Bool
    public var twelveBit: Bool
    public var monochrome: Bool
    public var chromaSubsamplingX: Bool
    public var chromaSubsamplingY: Bool
    public var chromaSamplePosition: UInt8
    /// `initial_presentation_delay_minus_one`, when `initial_presentation_delay_present` is set.
    public var initialPresentationDelayMinusOne: UInt8?
    /// Zero or one sequence header OBU, then optional metadata OBUs (§2.3.4), in low-overhead format.
    public var configOBUs: [UInt8]

    public init(parsing bytes: [UInt8]) throws(CodecsError) {
        var c = ByteCursor(bytes, what: "av1C")
        let b0 = try c.u8()
        guard b0 & 0x80 != 0 else { throw .invalid(what: "av1C", reason: "marker bit is zero") }
        guard b0 & 0x7F == 1 else { throw .unsupported(what: "av1C", reason: "version \(b0 & 0x7F)") }
        let b1 = try c.u8()
        seqProfile = b1 >> 5
        seqLevelIdx0 = b1 & 0x1F
        let b2 = try c.u8()
        seqTier0 = b2 >> 7
        highBitdepth = b2 & 0x40 != 0
        twelveBit = b2 & 0x20 != 0
        monochrome = b2 & 0x10 != 0
        chromaSubsamplingX = b2 & 0x08 != 0
        chromaSubsamplingY = b2 & 0x04 != 0
        chromaSamplePosition = b2 & 0x03
        let b3 = try c.u8()
        initialPresentationDelayMinusOne = b3 & 0x10 != 0 ? b3 & 0x0F : nil
        configOBUs = c.rest()
    }

    public func serialized() -> [UInt8] {
        var b2 = seqTier0 << 7 | chromaSamplePosition
        if highBitdepth { b2 |= 0x40 }
        if twelveBit { b2 |= 0x20 }
        if monochrome { b2 |= 0x10 }
        if chromaSubsamplingX { b2 |= 0x08 }
        if chromaSubsamplingY { b2 |= 0x04 }
        let b3: UInt8 = initialPresentationDelayMinusOne.map { 0x10 | ($0 & 0x0F) } ?? 0
        return [0x81, seqProfile << 5 | seqLevelIdx0, b2, b3] + configOBUs
    }

    public var bitDepth: Int { highBitdepth ? (twelveBit ? 12 : 10) : 8 }

    /// The sequence header among the config OBUs, parsed.
    public func parsedSequenceHeader() throws(CodecsError) -> AV1SequenceHeader {
        for obu in try AV1OBU.split(configOBUs) where obu.type == AV1OBU.sequenceHeader {
            return try AV1SequenceHeader(payload: obu.payload)
        }
        throw .invalid(what: "av1C", reason: "no sequence header OBU")
    }

    /// Codec string `av01.P.LLT.DD` (AV1-ISOBMFF "Codecs Parameter String"): profile, two-digit
    /// level index, tier M/H, two-digit bit depth.
    public var codecString: String {
        let level = seqLevelIdx0 < 10 ? "0\(seqLevelIdx0)" : "\(seqLevelIdx0)"
        let depth = bitDepth < 10 ? "0\(bitDepth)" : "\(bitDepth)"
        return "av01.\(seqProfile).\(level)\(seqTier0 == 1 ? "H" : "M").\(depth)"
    }
}
