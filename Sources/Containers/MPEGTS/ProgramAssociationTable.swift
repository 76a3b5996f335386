/// `program_association_section` (ISO/IEC 13818-1 §2.4.4.3, Table 2-30): program numbers and the
/// PID of each program's map table. Program number 0 names the network PID instead.
struct ProgramAssociationTable: Hashable {
    struct Program: Hashable {
        var number: UInt16
        var pmtPID: UInt16
    }

    static let tableID: UInt8 = 0x00
    var transportStreamID: UInt16
    var version: UInt8
    var programs: [Program]

    init(transportStreamID: UInt16 = 1, version: UInt8 = 0, programs: [Program]) {
        self.transportStreamID = transportStreamID
        self.version = version
        self.programs = programs
    }

    /// Parses a PAT section. The entry count needs no limit of its own: `section_length` ≤ 1021
    /// bounds it to 253.
    init(_ section: PSISection) throws(ContainersError) {
        guard section.tableID == Self.tableID else {
            throw .invalid(what: "PAT", reason: "table_id \(section.tableID) on PID 0")
        }
        guard section.body.count % 4 == 0 else {
            throw .invalid(what: "PAT", reason: "program loop of \(section.body.count) bytes is not a multiple of 4")
        }
        transportStreamID = section.tableIDExtension
        version = section.version
        programs = stride(from: 0, to: section.body.count, by: 4).map { i in
            let b = section.body
            return Program(number: UInt16(b[i]) << 8 | UInt16(b[i + 1]), pmtPID: UInt16(b[i + 2] & 0x1F) << 8 | UInt16(b[i + 3]))
        }
    }

    /// The first program that is not the network PID entry.
    var firstProgram: Program? { programs.first { $0.number != 0 } }

    func section() -> PSISection {
        var body: [UInt8] = []
        for p in programs {
            body += [UInt8(p.number >> 8), UInt8(p.number & 0xFF), 0xE0 | UInt8(p.pmtPID >> 8), UInt8(p.pmtPID & 0xFF)]
        }
        return PSISection(tableID: Self.tableID, tableIDExtension: transportStreamID, version: version, body: body)
    }
}
