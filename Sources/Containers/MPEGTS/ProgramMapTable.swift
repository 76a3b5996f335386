/// `TS_program_map_section` (ISO/IEC 13818-1 §2.4.4.8, Table 2-33): the PCR PID and the
/// elementary streams of one program, with their `stream_type` and descriptors.
struct ProgramMapTable: Hashable {
    struct Stream: Hashable {
        /// `stream_type` (Table 2-34), kept raw: unknown types are listed but not carried.
        var streamType: UInt8
        var pid: UInt16
        var descriptors: [UInt8]

        init(streamType: UInt8, pid: UInt16, descriptors: [UInt8] = []) {
            self.streamType = streamType
            self.pid = pid
            self.descriptors = descriptors
        }
    }

    static let tableID: UInt8 = 0x02
    var programNumber: UInt16
    var version: UInt8
    var pcrPID: UInt16
    var programDescriptors: [UInt8]
    var streams: [Stream]

    init(programNumber: UInt16, version: UInt8 = 0, pcrPID: UInt16, programDescriptors: [UInt8] = [], streams: [Stream]) {
        self.programNumber = programNumber
        self.version = version
        self.pcrPID = pcrPID
        self.programDescriptors = programDescriptors
        self.streams = streams
    }

    /// Parses a PMT section; more than `maxStreams` elementary streams is refused.
    init(_ section: PSISection, maxStreams: Int) throws(ContainersError) {
        guard section.tableID == Self.tableID else { throw .invalid(what: "PMT", reason: "table_id \(section.tableID)") }
        let b = section.body
        guard b.count >= 4 else { throw .truncated(what: "PMT", needed: 4, available: b.count) }
        programNumber = section.tableIDExtension
        version = section.version
        pcrPID = UInt16(b[0] & 0x1F) << 8 | UInt16(b[1])
        // The 12-bit lengths start with two '00' bits (§2.4.4.9); the loop must stay in the section.
        let infoLength = Int(b[2] & 0x0F) << 8 | Int(b[3])
        guard 4 + infoLength <= b.count else { throw .truncated(what: "PMT program_info", needed: 4 + infoLength, available: b.count) }
        programDescriptors = Array(b[4..<4 + infoLength])
        streams = []
        var i = 4 + infoLength
        while i < b.count {
            guard b.count - i >= 5 else { throw .truncated(what: "PMT elementary stream entry", needed: i + 5, available: b.count) }
            let esInfoLength = Int(b[i + 3] & 0x0F) << 8 | Int(b[i + 4])
            guard i + 5 + esInfoLength <= b.count else {
                throw .truncated(what: "PMT ES_info", needed: i + 5 + esInfoLength, available: b.count)
            }
            guard streams.count < maxStreams else {
                throw .limitExceeded(what: "PMT elementary streams", value: streams.count + 1, limit: maxStreams)
            }
            streams.append(Stream(streamType: b[i], pid: UInt16(b[i + 1] & 0x1F) << 8 | UInt16(b[i + 2]),
                                  descriptors: Array(b[i + 5..<i + 5 + esInfoLength])))
            i += 5 + esInfoLength
        }
    }

    func section() -> PSISection {
        var body: [UInt8] = [0xE0 | UInt8(pcrPID >> 8), UInt8(pcrPID & 0xFF),
                             0xF0 | UInt8(programDescriptors.count >> 8), UInt8(programDescriptors.count & 0xFF)]
        body += programDescriptors
        for s in streams {
            body += [s.streamType, 0xE0 | UInt8(s.pid >> 8), UInt8(s.pid & 0xFF),
                     0xF0 | UInt8(s.descriptors.count >> 8), UInt8(s.descriptors.count & 0xFF)]
            body += s.descriptors
        }
        return PSISection(tableID: Self.tableID, tableIDExtension: programNumber, version: version, body: body)
    }
}
