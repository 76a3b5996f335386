import Foundation
import MediaCore
import Testing
import TestSupport
@testable import Containers

/// SCTE-35 splice_info_section: the standard's own examples (ANSI/SCTE 35 2022 §14), our cues'
/// round trips, and hostile input.
@Suite struct SpliceInfoSectionTests {
    /// §14.2: a splice_insert out of the network, with a 60.293 s auto-return break and an
    /// avail_descriptor.
    static let spliceInsertExample = "/DAvAAAAAAAA///wFAVIAACPf+/+c2nALv4AUsz1AAAAAAAKAAhDVUVJAAABNWLbowo="
    /// §14.3: a time_signal with a Provider Placement Opportunity Start segmentation descriptor.
    static let timeSignalExample = "/DA0AAAAAAAA///wBQb+cr0AUAAeAhxDVUVJSAAAjn/PAAGlmbAICAAAAAAsoKGKNAIAmsnRfg=="

    static func bytes(_ base64: String) throws -> [UInt8] {
        try #require(Data(base64Encoded: base64).map(Array.init))
    }

    @Test func parsesTheStandardsSpliceInsertAndWritesItBackByteForByte() throws {
        let bytes = try Self.bytes(Self.spliceInsertExample)
        let section = try SpliceInfoSection(parsing: bytes)
        guard case .insert(let insert) = section.command else {
            Issue.record("not a splice_insert: \(section.command)")
            return
        }
        #expect(insert.eventID == 0x4800_008F)
        #expect(insert.outOfNetwork && !insert.cancel)
        #expect(insert.ptsTime == 0x0_7369_C02E)
        #expect(insert.breakDuration == SpliceInsert.BreakDuration(autoReturn: true, duration: 0x0_0052_CCF5))
        #expect(section.descriptors == [SpliceDescriptor(tag: 0, bytes: [0x43, 0x55, 0x45, 0x49, 0, 0, 0x01, 0x35])])
        #expect(section.encoded() == bytes)
    }

    @Test func parsesTheStandardsTimeSignalWithItsSegmentation() throws {
        let bytes = try Self.bytes(Self.timeSignalExample)
        let section = try SpliceInfoSection(parsing: bytes)
        #expect(section.command == .timeSignal(ptsTime: 0x0_72BD_0050))
        let descriptor = try #require(section.descriptors.first)
        let segmentation = try #require(try Segmentation(descriptor))
        #expect(segmentation.type == 0x34)
        #expect(segmentation.eventID == 0x4800_008E)
        #expect(segmentation.duration == 0x00_01A5_99B0)
        #expect(SegmentationType.adStarts.contains(segmentation.type))
        #expect(section.encoded() == bytes)
    }

    /// Our cues, each the way a marker writes it, read back as written.
    static let cues: [SpliceInfoSection] = [
        .breakStart(eventID: 7, ptsTime: 90_000 * 3_600, duration: 90_000 * 30),
        .breakEnd(eventID: 7, ptsTime: (1 << 33) - 1),
        .programmeStart(eventID: 0xDEAD_BEEF, ptsTime: 0, duration: 90_000 * 3_600),
        SpliceInfoSection(command: .null),
        SpliceInfoSection(command: .insert(SpliceInsert(eventID: 9, outOfNetwork: true, ptsTime: nil, components: [
            SpliceComponent(tag: 1, ptsTime: nil), SpliceComponent(tag: 2, ptsTime: nil),
        ]))),
        SpliceInfoSection(command: .insert(SpliceInsert(eventID: 10, cancel: true, outOfNetwork: false, ptsTime: nil))),
    ]

    @Test(arguments: cues) func roundTrips(_ cue: SpliceInfoSection) throws {
        let bytes = cue.encoded()
        #expect(bytes[0] == 0xFC)
        #expect(Int(bytes[1] & 0x0F) << 8 | Int(bytes[2]) == bytes.count - 3)
        #expect(try SpliceInfoSection(parsing: bytes) == cue)
    }

    /// The CRC is CRC-32/MPEG-2 over everything before it: the section's CRC over itself is 0.
    @Test func endsWithItsCRC() {
        let bytes = SpliceInfoSection.breakStart(eventID: 1, ptsTime: 1, duration: 1).encoded()
        let stated = bytes.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(CRC32MPEG2.checksum(bytes.dropLast(4)) == stated)
    }

    @Test func refusesAWrongCRC() throws {
        var bytes = try Self.bytes(Self.spliceInsertExample)
        bytes[20] ^= 0x01
        #expect(throws: ContainersError.invalid(what: "splice_info_section", reason: "CRC_32 mismatch")) {
            try SpliceInfoSection(parsing: bytes)
        }
    }

    @Test func refusesEveryTruncation() throws {
        let bytes = try Self.bytes(Self.spliceInsertExample)
        for length in 0..<bytes.count {
            #expect(throws: ContainersError.self) { try SpliceInfoSection(parsing: Array(bytes.prefix(length))) }
        }
    }

    @Test func refusesMoreThanASectionCanHold() {
        let bytes = [UInt8](repeating: 0xFC, count: SpliceInfoSection.maximumBytes + 1)
        #expect(throws: ContainersError.limitExceeded(
            what: "splice_info_section", value: SpliceInfoSection.maximumBytes + 1, limit: SpliceInfoSection.maximumBytes)) {
            try SpliceInfoSection(parsing: bytes)
        }
    }

    /// Lengths that overrun the section (a command or descriptor longer than what is left), with
    /// a valid CRC so the parser reads that far.
    @Test func refusesLengthsThatOverrunTheSection() throws {
        var command = SpliceInfoSection.breakStart(eventID: 1, ptsTime: 1, duration: 1).encoded()
        // splice_command_length 0xFFE (0xFFF would mean "unknown"): far more than is left.
        command[11] = 0xFF
        command[12] = 0xFE
        #expect(throws: ContainersError.self) { try SpliceInfoSection(parsing: Self.resealed(command)) }
        var loop = SpliceInfoSection(command: .null, descriptors: [SpliceDescriptor(tag: 2, bytes: [1, 2, 3])]).encoded()
        loop[loop.count - 8] = 0xFF  // the descriptor's length byte: 255, with 3 bytes left
        #expect(throws: ContainersError.self) { try SpliceInfoSection(parsing: Self.resealed(loop)) }
    }

    /// Random bytes after a valid header, with a valid CRC: the parser answers or throws, never
    /// traps, and what it answers it writes back.
    @Test func survivesRandomSections() {
        var random = SplitMix64(seed: 35)
        var parsed = 0
        var refused = 0
        for _ in 0..<2_000 {
            let length = 14 + Int(random.next() % 64)
            var bytes: [UInt8] = [0xFC, 0x30, UInt8(length + 4 - 3)]
            bytes[1] |= UInt8((length + 4 - 3) >> 8)
            bytes.append(0)  // protocol_version
            bytes.append(0)  // clear
            while bytes.count < length { bytes.append(UInt8(truncatingIfNeeded: random.next())) }
            let sealed = Self.resealed(bytes + [0, 0, 0, 0])
            do {
                let section = try SpliceInfoSection(parsing: sealed)
                #expect(try SpliceInfoSection(parsing: section.encoded()) == section)
                parsed += 1
            } catch {
                refused += 1
            }
        }
        #expect(parsed + refused == 2_000)
        #expect(refused > 0)
    }

    /// The section with its CRC recomputed.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var sealed = Array(bytes.dropLast(4))
        let crc = CRC32MPEG2.checksum(sealed)
        sealed += [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)]
        return sealed
    }
}
