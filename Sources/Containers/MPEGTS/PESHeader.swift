/// The PES packet header (ISO/IEC 13818-1 §2.4.3.6, §2.4.3.7, Table 2-21): `packet_start_code_prefix`,
/// `stream_id`, `PES_packet_length` and, for audio and video streams, the optional header with
/// PTS and DTS (33-bit counts of the 90 kHz clock).
struct PESHeader: Hashable {
    var streamID: UInt8
    /// `PES_packet_length`: bytes after this field; 0 means unbounded (video only, §2.4.3.7).
    var packetLength: Int
    var pts: UInt64?
    var dts: UInt64?
    /// Bytes before the payload: 6, or 9 + `PES_header_data_length` with the optional header.
    var headerLength: Int

    /// stream_ids without the optional header (Table 2-21): program_stream_map, padding,
    /// private_stream_2, ECM, EMM, program_stream_directory, DSMCC, H.222.1 type E.
    static let streamIDsWithoutHeader: Set<UInt8> = [0xBC, 0xBE, 0xBF, 0xF0, 0xF1, 0xFF, 0xF2, 0xF8]

    /// Parses the header at the start of a reassembled PES packet.
    init(parsing b: [UInt8]) throws(ContainersError) {
        guard b.count >= 6 else { throw .truncated(what: "PES header", needed: 6, available: b.count) }
        guard b[0] == 0, b[1] == 0, b[2] == 1 else {
            throw .invalid(what: "PES header", reason: "packet_start_code_prefix \(b[0]) \(b[1]) \(b[2])")
        }
        streamID = b[3]
        packetLength = Int(b[4]) << 8 | Int(b[5])
        pts = nil
        dts = nil
        headerLength = 6
        guard !Self.streamIDsWithoutHeader.contains(streamID) else { return }
        guard b.count >= 9 else { throw .truncated(what: "PES optional header", needed: 9, available: b.count) }
        guard b[6] & 0xC0 == 0x80 else { throw .invalid(what: "PES optional header", reason: "marker bits '\(b[6] >> 6)' are not '10'") }
        let flags = b[7] >> 6
        headerLength = 9 + Int(b[8])
        guard b.count >= headerLength else { throw .truncated(what: "PES header data", needed: headerLength, available: b.count) }
        guard flags != 1 else { throw .invalid(what: "PES header", reason: "PTS_DTS_flags '01' (forbidden)") }
        if flags & 0x02 != 0 {
            guard headerLength >= 14 else { throw .truncated(what: "PES PTS", needed: 14, available: headerLength) }
            pts = Self.readTimestamp(b[9..<14])
        }
        if flags == 3 {
            guard headerLength >= 19 else { throw .truncated(what: "PES DTS", needed: 19, available: headerLength) }
            dts = Self.readTimestamp(b[14..<19])
        }
    }

    /// A 5-byte PTS or DTS field: 4-bit prefix, then 3 + 15 + 15 bits each followed by a marker bit.
    static func readTimestamp(_ f: ArraySlice<UInt8>) -> UInt64 {
        let s = f.startIndex
        return UInt64((f[s] >> 1) & 0x07) << 30 | UInt64(f[s + 1]) << 22 | UInt64(f[s + 2] >> 1) << 15
            | UInt64(f[s + 3]) << 7 | UInt64(f[s + 4] >> 1)
    }

    static func writeTimestamp(_ value: UInt64, prefix: UInt8, into out: inout [UInt8]) {
        let v = value & UInt64(TS.timestampModulus - 1)
        out += [prefix << 4 | UInt8((v >> 29) & 0x0E) | 1, UInt8((v >> 22) & 0xFF), UInt8((v >> 14) & 0xFE) | 1,
                UInt8((v >> 7) & 0xFF), UInt8((v << 1) & 0xFE) | 1]
    }

    /// Serialises a header with `data_alignment_indicator` set (each PES starts with an access unit)
    /// and PTS, or PTS and DTS. `PES_packet_length` is computed from `payloadLength`, or 0 when the
    /// packet would exceed the 16-bit field and `unboundedAllowed` (video) is set.
    static func serialize(streamID: UInt8, pts: UInt64, dts: UInt64?, payloadLength: Int, unboundedAllowed: Bool)
        throws(ContainersError) -> [UInt8] {
        let dataLength = dts == nil ? 5 : 10
        let length = 3 + dataLength + payloadLength
        var packetLength = length
        if length > 0xFFFF {
            guard unboundedAllowed else {
                throw .limitExceeded(what: "PES_packet_length", value: length, limit: 0xFFFF)
            }
            packetLength = 0
        }
        var out: [UInt8] = [0, 0, 1, streamID, UInt8(packetLength >> 8), UInt8(packetLength & 0xFF),
                            0x84, dts == nil ? 0x80 : 0xC0, UInt8(dataLength)]
        writeTimestamp(pts, prefix: dts == nil ? 0x2 : 0x3, into: &out)
        if let dts { writeTimestamp(dts, prefix: 0x1, into: &out) }
        return out
    }
}
