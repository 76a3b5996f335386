/// AV1 OBUs in low-overhead bitstream format (AV1 spec §5.3: `obu_header`, `obu_size` leb128).
public struct AV1OBU: Sendable, Hashable {
    public static let sequenceHeader: UInt8 = 1
    public static let temporalDelimiter: UInt8 = 2
    public static let metadata: UInt8 = 5

    public var type: UInt8
    public var payload: ArraySlice<UInt8>

    /// OBUs per temporal unit: one sequence header, a frame header or frame per spatial/temporal
    /// layer (at most 8 × 4 operating layers, §A.3), tile groups and metadata. 1024 is generous.
    public static let maxOBUsPerTemporalUnit = 1024

    /// Splits OBUs that each carry `obu_has_size_field`, as ISOBMFF and Enhanced RTMP require.
    public static func split(_ bytes: [UInt8]) throws(CodecsError) -> [AV1OBU] {
        var obus: [AV1OBU] = []
        var i = 0
        while i < bytes.count {
            let header = bytes[i]
            guard header & 0x80 == 0 else { throw .invalid(what: "AV1 OBU header", reason: "forbidden bit set") }
            guard header & 0x02 != 0 else { throw .unsupported(what: "AV1 OBU", reason: "obu_has_size_field is 0") }
            i += header & 0x04 != 0 ? 2 : 1
            let (size, n) = try leb128(bytes, at: i)
            i += n
            guard size <= UInt64(bytes.count - i) else {
                throw .truncated(what: "AV1 OBU", needed: i + Int(clamping: size), available: bytes.count)
            }
            guard obus.count < maxOBUsPerTemporalUnit else {
                throw .limitExceeded(what: "AV1 OBUs", value: obus.count + 1, limit: maxOBUsPerTemporalUnit)
            }
            obus.append(AV1OBU(type: (header >> 3) & 0x0F, payload: bytes[i..<i + Int(size)]))
            i += Int(size)
        }
        return obus
    }

    /// leb128() (§4.10.5): at most 8 bytes, value below 2^32.
    static func leb128(_ bytes: [UInt8], at start: Int) throws(CodecsError) -> (UInt64, Int) {
        var value: UInt64 = 0
        for k in 0..<8 {
            guard start + k < bytes.count else { throw .truncated(what: "AV1 leb128", needed: start + k + 1, available: bytes.count) }
            let b = bytes[start + k]
            value |= UInt64(b & 0x7F) << (7 * UInt64(k))
            if b & 0x80 == 0 {
                guard value <= UInt64(UInt32.max) else { throw .invalid(what: "AV1 leb128", reason: "value above 2^32 - 1") }
                return (value, k + 1)
            }
        }
        throw .invalid(what: "AV1 leb128", reason: "longer than 8 bytes")
    }
}
