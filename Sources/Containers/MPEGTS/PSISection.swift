import MediaCore

/// A PSI section in the long form PAT and PMT use (ISO/IEC 13818-1 §2.4.4.3, §2.4.4.8):
/// `table_id`, `section_syntax_indicator` 1, 12-bit `section_length`, `table_id_extension`
/// (transport_stream_id or program_number), `version_number`, `current_next_indicator`,
/// `section_number`, `last_section_number`, the table body and `CRC_32` (Annex A).
struct PSISection: Hashable {
    var tableID: UInt8
    var tableIDExtension: UInt16
    var version: UInt8
    var currentNext: Bool
    var sectionNumber: UInt8
    var lastSectionNumber: UInt8
    var body: [UInt8]

    init(tableID: UInt8, tableIDExtension: UInt16, version: UInt8, body: [UInt8]) {
        self.tableID = tableID
        self.tableIDExtension = tableIDExtension
        self.version = version & 0x1F
        self.currentNext = true
        self.sectionNumber = 0
        self.lastSectionNumber = 0
        self.body = body
    }

    /// Whether the section's CRC_32 checks: the CRC-32/MPEG-2 of the whole section, CRC included,
    /// is zero (Annex A).
    static func hasValidCRC(_ section: [UInt8]) -> Bool {
        section.count >= 4 && CRC32MPEG2.checksum(section) == 0
    }

    /// Parses a complete section (as `PSISectionAssembler` returns it). The CRC is checked apart.
    init(parsing section: [UInt8], what: String) throws(ContainersError) {
        // Header 3 bytes, syntax fields 5 bytes, CRC 4 bytes.
        guard section.count >= 12 else { throw .truncated(what: what, needed: 12, available: section.count) }
        tableID = section[0]
        guard section[1] & 0x80 != 0 else { throw .invalid(what: what, reason: "section_syntax_indicator 0") }
        let length = Int(section[1] & 0x0F) << 8 | Int(section[2])
        guard length + 3 == section.count else {
            throw .invalid(what: what, reason: "section_length \(length) for \(section.count) bytes")
        }
        tableIDExtension = UInt16(section[3]) << 8 | UInt16(section[4])
        version = (section[5] >> 1) & 0x1F
        currentNext = section[5] & 0x01 != 0
        sectionNumber = section[6]
        lastSectionNumber = section[7]
        body = Array(section[8..<section.count - 4])
    }

    func serialized() -> [UInt8] {
        let length = 5 + body.count + 4
        precondition(length <= TSLimits.maxSectionLength, "PSI section too long")
        var out: [UInt8] = [tableID, 0xB0 | UInt8(length >> 8), UInt8(length & 0xFF),
                            UInt8(tableIDExtension >> 8), UInt8(tableIDExtension & 0xFF),
                            0xC0 | version << 1 | (currentNext ? 1 : 0), sectionNumber, lastSectionNumber]
        out += body
        let crc = CRC32MPEG2.checksum(out)
        out += [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)]
        return out
    }
}

/// Reassembles the PSI sections of one PID from packet payloads (§2.4.4.1, §2.4.4.2): a payload
/// unit start carries a `pointer_field` giving the bytes that still belong to the previous
/// section; a section may span packets, and several may share one; 0xFF after a section is stuffing.
struct PSISectionAssembler {
    private var buffer: [UInt8] = []
    private var collecting = false
    /// The largest `section_length` accepted: the PAT and PMT limit by default, SCTE-35's for a
    /// splice_info_section PID.
    private let maxSectionLength: Int

    init(maxSectionLength: Int = TSLimits.maxSectionLength) {
        self.maxSectionLength = maxSectionLength
    }

    /// Appends one packet's payload and returns the sections it completes. Throws when a
    /// `pointer_field` points past the packet or a `section_length` exceeds the limit; the
    /// assembler then waits for the next payload unit start.
    mutating func push(_ payload: ArraySlice<UInt8>, unitStart: Bool) throws(ContainersError) -> [[UInt8]] {
        var sections: [[UInt8]] = []
        var rest = payload
        if unitStart {
            guard let pointer = rest.popFirst().map(Int.init), pointer <= rest.count else {
                reset()
                throw .invalid(what: "PSI pointer_field", reason: "points past the packet (\(payload.first.map(String.init) ?? "none"))")
            }
            if collecting {
                buffer += rest.prefix(pointer)
                try drain(into: &sections)
            }
            buffer = Array(rest.dropFirst(pointer))
            collecting = true
        } else {
            guard collecting else { return [] }
            buffer += rest
        }
        try drain(into: &sections)
        return sections
    }

    /// Drops a partial section (after a continuity error or loss of sync).
    mutating func reset() {
        buffer = []
        collecting = false
    }

    private mutating func drain(into sections: inout [[UInt8]]) throws(ContainersError) {
        while collecting, let tableID = buffer.first {
            if tableID == 0xFF {  // stuffing up to the end of the packet
                reset()
                return
            }
            guard buffer.count >= 3 else { return }
            let length = Int(buffer[1] & 0x0F) << 8 | Int(buffer[2])
            guard length <= maxSectionLength else {
                reset()
                throw .limitExceeded(what: "PSI section_length (table_id \(tableID))", value: length, limit: maxSectionLength)
            }
            guard buffer.count >= 3 + length else { return }
            sections.append(Array(buffer[0..<3 + length]))
            buffer.removeFirst(3 + length)
        }
        // A section starts only in a packet with payload_unit_start_indicator set (§2.4.4.2).
        if buffer.isEmpty { collecting = false }
    }
}
