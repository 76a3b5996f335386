/// The Opus identification header (RFC 7845 §5.1) and its ISOBMFF form, the `dOps` box payload
/// (Encapsulation of Opus in ISO Base Media File Format §4.3.2).
public struct OpusHead: Sendable, Hashable {
    public var outputChannelCount: UInt8
    public var preSkip: UInt16
    public var inputSampleRate: UInt32
    public var outputGain: Int16
    public var channelMappingFamily: UInt8
    /// Stream count, coupled count and channel mapping, present when the family is not 0.
    public var channelMapping: ChannelMapping?

    public struct ChannelMapping: Sendable, Hashable {
        public var streamCount: UInt8
        public var coupledCount: UInt8
        public var mapping: [UInt8]

        public init(streamCount: UInt8, coupledCount: UInt8, mapping: [UInt8]) {
            self.streamCount = streamCount
            self.coupledCount = coupledCount
            self.mapping = mapping
        }
    }

    /// Opus always decodes at 48 kHz (RFC 7845 §4); `dOps` timescales use it.
    public static let sampleRate = 48_000

    /// A header built from a container's own description of the stream (MPEG-TS carries no
    /// `OpusHead`). Gain 0 dB; the input rate is informative only (RFC 7845 §5.1).
    public init(outputChannelCount: UInt8, preSkip: UInt16, inputSampleRate: UInt32 = UInt32(OpusHead.sampleRate),
                outputGain: Int16 = 0, channelMappingFamily: UInt8, channelMapping: ChannelMapping?) {
        self.outputChannelCount = outputChannelCount
        self.preSkip = preSkip
        self.inputSampleRate = inputSampleRate
        self.outputGain = outputGain
        self.channelMappingFamily = channelMappingFamily
        self.channelMapping = channelMapping
    }

    /// Parses an `OpusHead` packet (little-endian fields, magic "OpusHead").
    public init(parsing bytes: [UInt8]) throws(CodecsError) {
        let w = "OpusHead"
        guard bytes.count >= 19 else { throw .truncated(what: w, needed: 19, available: bytes.count) }
        guard Array(bytes[0..<8]) == Array("OpusHead".utf8) else { throw .invalid(what: w, reason: "magic") }
        guard bytes[8] >> 4 == 0 else { throw .unsupported(what: w, reason: "version \(bytes[8])") }
        outputChannelCount = bytes[9]
        guard outputChannelCount > 0 else { throw .invalid(what: w, reason: "zero channels") }
        preSkip = UInt16(bytes[10]) | UInt16(bytes[11]) << 8
        inputSampleRate = (0..<4).reduce(0) { $0 | UInt32(bytes[12 + $1]) << (8 * UInt32($1)) }
        outputGain = Int16(bitPattern: UInt16(bytes[16]) | UInt16(bytes[17]) << 8)
        channelMappingFamily = bytes[18]
        channelMapping = try Self.mapping(bytes, at: 19, family: channelMappingFamily, channels: outputChannelCount, what: w)
    }

    /// Parses a `dOps` payload (big-endian fields, Version 0).
    public init(dOps bytes: [UInt8]) throws(CodecsError) {
        var c = ByteCursor(bytes, what: "dOps")
        let version = try c.u8()
        guard version == 0 else { throw .unsupported(what: "dOps", reason: "version \(version)") }
        outputChannelCount = try c.u8()
        preSkip = try c.u16()
        inputSampleRate = try c.u32()
        outputGain = Int16(bitPattern: try c.u16())
        channelMappingFamily = try c.u8()
        channelMapping = try Self.mapping(bytes, at: 11, family: channelMappingFamily, channels: outputChannelCount, what: "dOps")
    }

    private static func mapping(_ bytes: [UInt8], at offset: Int, family: UInt8, channels: UInt8, what: String) throws(CodecsError) -> ChannelMapping? {
        guard family != 0 else { return nil }
        let needed = offset + 2 + Int(channels)
        guard bytes.count >= needed else { throw .truncated(what: what, needed: needed, available: bytes.count) }
        return ChannelMapping(streamCount: bytes[offset], coupledCount: bytes[offset + 1],
                              mapping: Array(bytes[offset + 2..<needed]))
    }

    /// The `dOps` box payload.
    public func dOpsPayload() -> [UInt8] {
        var out: [UInt8] = [0, outputChannelCount]
        out.appendU16(preSkip)
        out.appendU32(inputSampleRate)
        out.appendU16(UInt16(bitPattern: outputGain))
        out.append(channelMappingFamily)
        if let m = channelMapping { out += [m.streamCount, m.coupledCount] + m.mapping }
        return out
    }

    public var codecString: String { "opus" }
}
