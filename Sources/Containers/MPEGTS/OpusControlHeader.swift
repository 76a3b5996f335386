/// The `opus_control_header` before each Opus packet in a PES payload (ETSI TS "Opus in MPEG-2
/// TS" draft v0.1.3, `opus_access_unit`; FFmpeg's mpegts muxer and Opus parser agree):
///
/// - 11 bits `control_header_prefix` = 0x3FF, then `start_trim_flag`, `end_trim_flag`,
///   `control_extension_flag` and 2 reserved bits: `0x7F 0xE0` with the flags in the low bits;
/// - `au_size`: a run of 0xFF bytes, each worth 255, and a last byte below 0xFF added to them;
/// - `start_trim` and `end_trim` when flagged, 16 bits each (3 reserved, 13 of samples at 48 kHz);
/// - `control_extension_length` and that many bytes when flagged;
///
/// then `au_size` bytes of Opus packet (RFC 6716 §3). The prefix cannot start an Opus packet
/// (whose first byte is a TOC), so a payload of bare packets is told apart at its first byte.
struct OpusControlHeader: Hashable {
    /// Bytes of the header, up to the Opus packet.
    var headerLength: Int
    /// `au_size`: bytes of the Opus packet that follows.
    var auSize: Int
    /// Samples to drop from the start of the decoded packet (the stream's pre-skip on its first).
    var startTrim: UInt16?
    /// Samples to drop from its end.
    var endTrim: UInt16?

    /// `control_header_prefix`, the first 11 bits.
    static let prefix: UInt16 = 0x3FF
    /// The 13 bits of `start_trim` and `end_trim`.
    static let trimMask: UInt16 = 0x1FFF

    /// Parses the header at the start of `bytes`, the rest of a PES payload; errors name `what`.
    /// Each length is bounded by the PES payload: `au_size` (whose 0xFF run is as long as the
    /// payload at most) and the extension may not run past its end.
    init(parsing bytes: ArraySlice<UInt8>, what: String) throws(ContainersError) {
        let s = bytes.startIndex
        guard bytes.count >= 3 else { throw .truncated(what: what, needed: 3, available: bytes.count) }
        let first = UInt16(bytes[s]) << 8 | UInt16(bytes[s + 1])
        guard first >> 5 == Self.prefix else {
            throw .invalid(what: what, reason: "control_header_prefix 0x\(String(first >> 5, radix: 16)), not 0x3ff")
        }
        var i = s + 2
        var size = 0
        while true {
            guard i < bytes.endIndex else { throw .truncated(what: "\(what) au_size", needed: i - s + 1, available: bytes.count) }
            size += Int(bytes[i])
            i += 1
            if bytes[i - 1] != 0xFF { break }
        }
        func trim(_ flag: UInt16) throws(ContainersError) -> UInt16? {
            guard first & flag != 0 else { return nil }
            guard bytes.endIndex - i >= 2 else { throw .truncated(what: "\(what) trim", needed: i - s + 2, available: bytes.count) }
            defer { i += 2 }
            return (UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])) & Self.trimMask
        }
        startTrim = try trim(0x10)
        endTrim = try trim(0x08)
        if first & 0x04 != 0 {
            guard i < bytes.endIndex else { throw .truncated(what: "\(what) extension", needed: i - s + 1, available: bytes.count) }
            i += 1 + Int(bytes[i])
        }
        headerLength = i - s
        auSize = size
        guard headerLength + auSize <= bytes.count else {
            throw .truncated(what: "\(what) (au_size \(auSize))", needed: headerLength + auSize, available: bytes.count)
        }
    }

    /// The header of a packet of `auSize` bytes, with a `start_trim` when given (its 13 bits; a
    /// pre-skip is far below 8,192 samples) and no end trim or extension.
    static func serialized(auSize: Int, startTrim: UInt16?) -> [UInt8] {
        var out: [UInt8] = [UInt8(prefix >> 3), UInt8(prefix & 0x07) << 5 | (startTrim == nil ? 0 : 0x10)]
        out += [UInt8](repeating: 0xFF, count: auSize / 255)
        out.append(UInt8(auSize % 255))
        if let trim = startTrim.map({ $0 & trimMask }) { out += [UInt8(trim >> 8), UInt8(trim & 0xFF)] }
        return out
    }
}
