import MediaCore

extension SpliceInfoSection {
    /// The section's bytes, its CRC-32/MPEG-2 last (§9.6.1): `protocol_version` 0, clear,
    /// `sap_type` 3 (not specified).
    public func encoded() -> [UInt8] {
        var command = BitWriter()
        write(self.command, to: &command)
        var loop: [UInt8] = []
        for descriptor in descriptors {
            loop.append(descriptor.tag)
            loop.append(UInt8(truncatingIfNeeded: descriptor.bytes.count))
            loop += descriptor.bytes
        }
        // Everything after section_length: 11 fixed bytes, the command, the loop and the CRC.
        let sectionLength = 11 + command.bytes.count + 2 + loop.count + 4
        var w = BitWriter()
        w.writeBits(UInt32(Self.tableID), count: 8)
        w.writeFlag(false)  // section_syntax_indicator
        w.writeFlag(false)  // private_indicator
        w.writeBits(0b11, count: 2)  // sap_type: not specified
        w.writeBits(UInt32(sectionLength), count: 12)
        w.writeBits(0, count: 8)  // protocol_version
        w.writeFlag(false)  // encrypted_packet
        w.writeBits(0, count: 6)  // encryption_algorithm
        Self.write33(ptsAdjustment, to: &w)
        w.writeBits(UInt32(cwIndex), count: 8)
        w.writeBits(UInt32(tier & 0xFFF), count: 12)
        w.writeBits(UInt32(command.bytes.count), count: 12)
        w.writeBits(UInt32(self.command.type), count: 8)
        var bytes = w.bytes + command.bytes
        bytes.append(UInt8(loop.count >> 8))
        bytes.append(UInt8(loop.count & 0xFF))
        bytes += loop
        let crc = CRC32MPEG2.checksum(bytes)
        bytes += [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)]
        return bytes
    }

    private func write(_ command: SpliceCommand, to w: inout BitWriter) {
        switch command {
        case .null:
            break
        case .timeSignal(let ptsTime):
            Self.writeSpliceTime(ptsTime, to: &w)
        case .other(_, let bytes):
            for byte in bytes { w.writeBits(UInt32(byte), count: 8) }
        case .insert(let insert):
            w.writeBits(insert.eventID, count: 32)
            w.writeFlag(insert.cancel)
            w.writeBits(0x7F, count: 7)
            guard !insert.cancel else { return }
            let programSplice = insert.components.isEmpty
            let immediate = programSplice ? insert.ptsTime == nil : insert.components.allSatisfy { $0.ptsTime == nil }
            w.writeFlag(insert.outOfNetwork)
            w.writeFlag(programSplice)
            w.writeFlag(insert.breakDuration != nil)
            w.writeFlag(immediate)
            w.writeFlag(true)  // event_id_compliance_flag
            w.writeBits(0b111, count: 3)
            if programSplice {
                if !immediate { Self.writeSpliceTime(insert.ptsTime, to: &w) }
            } else {
                w.writeBits(UInt32(min(insert.components.count, 255)), count: 8)
                for component in insert.components.prefix(255) {
                    w.writeBits(UInt32(component.tag), count: 8)
                    if !immediate { Self.writeSpliceTime(component.ptsTime, to: &w) }
                }
            }
            if let breakDuration = insert.breakDuration {
                w.writeFlag(breakDuration.autoReturn)
                w.writeBits(0x3F, count: 6)
                Self.write33(breakDuration.duration, to: &w)
            }
            w.writeBits(UInt32(insert.uniqueProgramID), count: 16)
            w.writeBits(UInt32(insert.availNum), count: 8)
            w.writeBits(UInt32(insert.availsExpected), count: 8)
        }
    }

    /// `splice_time()` (§9.8.1): `time_specified_flag`, then 33 bits of PTS or 7 reserved bits.
    private static func writeSpliceTime(_ ptsTime: UInt64?, to w: inout BitWriter) {
        if let ptsTime {
            w.writeFlag(true)
            w.writeBits(0x3F, count: 6)
            write33(ptsTime, to: &w)
        } else {
            w.writeFlag(false)
            w.writeBits(0x7F, count: 7)
        }
    }

    private static func write33(_ value: UInt64, to w: inout BitWriter) {
        let v = value & ptsMask
        w.writeBits(UInt32(v >> 32), count: 1)
        w.writeBits(UInt32(truncatingIfNeeded: v), count: 32)
    }

}
