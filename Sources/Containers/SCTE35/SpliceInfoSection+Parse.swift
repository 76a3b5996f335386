import MediaCore

extension SpliceInfoSection {
    /// The largest section parsed: `section_length` is 12 bits and at most 4093 (ANSI/SCTE 35 2022
    /// §9.6.1), plus the 3 bytes before it.
    public static let maximumBytes = 4_096
    /// The smallest section: the 14 fixed bytes up to the command type, an empty
    /// `splice_null()`, the descriptor loop length and the CRC.
    static let minimumBytes = 20

    /// Parses one clear section and checks its CRC-32/MPEG-2. Bytes after the section (a
    /// transport packet's stuffing) are ignored.
    public init(parsing bytes: [UInt8]) throws(ContainersError) {
        let what = "splice_info_section"
        guard bytes.count <= Self.maximumBytes else {
            throw .limitExceeded(what: what, value: bytes.count, limit: Self.maximumBytes)
        }
        guard bytes.count >= 3 else { throw .truncated(what: what, needed: 3, available: bytes.count) }
        guard bytes[0] == Self.tableID else { throw .invalid(what: what, reason: "table_id \(bytes[0]), not 0xFC") }
        let sectionLength = Int(bytes[1] & 0x0F) << 8 | Int(bytes[2])
        let total = 3 + sectionLength
        guard total >= Self.minimumBytes else { throw .invalid(what: what, reason: "section_length \(sectionLength) is too short") }
        guard bytes.count >= total else { throw .truncated(what: what, needed: total, available: bytes.count) }
        let section = Array(bytes[..<total])
        let stated = section.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard CRC32MPEG2.checksum(section.dropLast(4)) == stated else { throw .invalid(what: what, reason: "CRC_32 mismatch") }
        guard section[3] == 0 else { throw .unsupported(what: what, reason: "protocol_version \(section[3])") }
        guard section[4] & 0x80 == 0 else { throw .unsupported(what: what, reason: "encrypted_packet") }

        var r = BitReader(Array(section[4..<(total - 4)]))
        do {
            _ = try r.readBits(7)  // encrypted_packet, encryption_algorithm
            ptsAdjustment = try Self.read33(&r)
            cwIndex = UInt8(try r.readBits(8))
            tier = UInt16(try r.readBits(12))
            let commandLength = Int(try r.readBits(12))
            let commandType = UInt8(try r.readBits(8))
            // The command's bytes: legacy encoders write 0xFFF for "unknown length" (§9.6.1),
            // which only a known command can be parsed through.
            let start = r.bitPosition / 8
            let available = r.bitsLeft / 8
            if commandLength != 0xFFF, commandLength > available {
                throw ContainersError.truncated(what: "splice_command", needed: commandLength, available: available)
            }
            command = try Self.readCommand(type: commandType, length: commandLength, &r)
            if commandLength != 0xFFF {
                let used = r.bitPosition / 8 - start
                guard used <= commandLength else {
                    throw ContainersError.invalid(what: "splice_command", reason: "its fields overrun splice_command_length")
                }
                try r.skipBits((commandLength - used) * 8)
            }
            let loopLength = Int(try r.readBits(16))
            guard loopLength * 8 <= r.bitsLeft else {
                throw ContainersError.truncated(what: "descriptor_loop", needed: loopLength, available: r.bitsLeft / 8)
            }
            var descriptors: [SpliceDescriptor] = []
            var left = loopLength
            while left > 0 {
                guard left >= 2 else { throw ContainersError.truncated(what: "splice_descriptor", needed: 2, available: left) }
                let tag = UInt8(try r.readBits(8))
                let length = Int(try r.readBits(8))
                guard length + 2 <= left else {
                    throw ContainersError.truncated(what: "splice_descriptor", needed: length + 2, available: left)
                }
                var body: [UInt8] = []
                body.reserveCapacity(length)
                for _ in 0..<length { body.append(UInt8(try r.readBits(8))) }
                descriptors.append(SpliceDescriptor(tag: tag, bytes: body))
                left -= length + 2
            }
            self.descriptors = descriptors
        } catch let error as ContainersError {
            throw error
        } catch {
            throw .truncated(what: what, needed: total, available: bytes.count)
        }
    }

    private static func readCommand(type: UInt8, length: Int, _ r: inout BitReader) throws -> SpliceCommand {
        switch type {
        case 0x00:
            return .null
        case 0x06:
            return .timeSignal(ptsTime: try readSpliceTime(&r))
        case 0x05:
            return .insert(try readInsert(&r))
        default:
            guard length != 0xFFF else {
                throw ContainersError.unsupported(what: "splice_command", reason: "type \(type) of unknown length")
            }
            var bytes: [UInt8] = []
            for _ in 0..<length { bytes.append(UInt8(try r.readBits(8))) }
            return .other(type: type, bytes: bytes)
        }
    }

    private static func readInsert(_ r: inout BitReader) throws -> SpliceInsert {
        let eventID = try r.readBits(32)
        let cancel = try r.readFlag()
        try r.skipBits(7)
        var insert = SpliceInsert(eventID: eventID, cancel: cancel, outOfNetwork: false, ptsTime: nil)
        guard !cancel else { return insert }
        insert.outOfNetwork = try r.readFlag()
        let programSplice = try r.readFlag()
        let hasDuration = try r.readFlag()
        let immediate = try r.readFlag()
        try r.skipBits(4)  // event_id_compliance_flag, reserved
        if programSplice {
            if !immediate { insert.ptsTime = try readSpliceTime(&r) }
        } else {
            // component_count is 8 bits: at most 255 components, each 1 to 6 bytes.
            let count = Int(try r.readBits(8))
            for _ in 0..<count {
                let tag = UInt8(try r.readBits(8))
                var time: UInt64?
                if !immediate { time = try readSpliceTime(&r) }
                insert.components.append(SpliceComponent(tag: tag, ptsTime: time))
            }
        }
        if hasDuration {
            let autoReturn = try r.readFlag()
            try r.skipBits(6)
            insert.breakDuration = SpliceInsert.BreakDuration(autoReturn: autoReturn, duration: try read33(&r))
        }
        insert.uniqueProgramID = UInt16(try r.readBits(16))
        insert.availNum = UInt8(try r.readBits(8))
        insert.availsExpected = UInt8(try r.readBits(8))
        return insert
    }

    private static func readSpliceTime(_ r: inout BitReader) throws -> UInt64? {
        guard try r.readFlag() else {
            try r.skipBits(7)
            return nil
        }
        try r.skipBits(6)
        return try read33(&r)
    }

    private static func read33(_ r: inout BitReader) throws -> UInt64 {
        let high = UInt64(try r.readBits(1))
        return high << 32 | UInt64(try r.readBits(32))
    }
}
