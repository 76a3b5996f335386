import MediaCore
import NIOCore
import Testing
@testable import Containers

/// SCTE-35 cues carried in MPEG-TS (ANSI/SCTE 35 2022 §8.1): a PMT stream of type 0x86 whose
/// packets carry splice_info_sections, read by the demuxer beside the audio and video.
@Suite struct TSSpliceTests {
    static let splicePID: UInt16 = 0x102

    /// The FLV vector's tracks and samples muxed with an SCTE-35 stream, `cues[n]` written after
    /// sample `n`.
    static func mux(_ source: FLVSource, offset: Int64 = 0, cues: [Int: SpliceInfoSection]) throws -> [UInt8] {
        var muxer = try TSMuxer(tracks: source.tracks, timestampOffset: offset, cues: true)
        var out = ByteBuffer()
        for (n, (track, sample)) in source.samples.enumerated() {
            try muxer.write(track: track, sample: sample, into: &out)
            if let cue = cues[n] { try muxer.write(splice: cue, into: &out) }
        }
        return Array(out.readableBytesView)
    }

    /// A section with its CRC_32 computed again after an edit.
    static func recrc(_ section: [UInt8]) -> [UInt8] {
        let body = Array(section.dropLast(4))
        let crc = CRC32MPEG2.checksum(body)
        return body + [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)]
    }

    @Test func cuesComeOutBesideSamplesThatStayAsTheyWere() throws {
        let source = try FLVSource.load()
        let plain = try demux(Array(try source.mux().readableBytesView))
        let breakStart = SpliceInfoSection.breakStart(eventID: 7, ptsTime: 180_000, duration: 2_700_000)
        let immediate = SpliceInfoSection(command: .insert(SpliceInsert(
            eventID: 8, outOfNetwork: true, ptsTime: nil, breakDuration: .init(autoReturn: true, duration: 900_000))))
        let result = try demux(try Self.mux(source, cues: [20: breakStart, 40: immediate]))
        #expect(result.splices.map(\.splice) == [breakStart, immediate])
        #expect(result.splices.map(\.spliceTime) == [180_000, nil])
        #expect(result.splices.allSatisfy { $0.splicePID == Self.splicePID })
        #expect(result.statistics.spliceSections == 2)
        #expect(result.statistics.invalidSpliceSections == 0)
        #expect(result.tracks == plain.tracks)
        #expect(result.samples(0) == plain.samples(0))
        #expect(result.samples(1) == plain.samples(1))
    }

    @Test func aCueOverTwoPacketsAcrossTheClockWrapLandsOnTheSamplesTimeline() throws {
        let source = try FLVSource.load()
        // The 33-bit clock wraps one second into the stream: the cue's pts_time + pts_adjustment
        // is written small, after the wrap, while the samples before it are near 2^33.
        let offset = TS.timestampModulus - 90_000
        var cue = SpliceInfoSection.programmeStart(eventID: 9, ptsTime: 270_000, duration: 5_400_000)
        cue.descriptors += (0..<30).map { SpliceDescriptor(tag: 0, bytes: Array("CUEI".utf8) + [0, 0, 0, UInt8($0)]) }
        #expect(cue.encoded().count + 1 > TS.maxPayload)
        let bytes = try Self.mux(source, offset: offset, cues: [10: cue])
        let result = try demux(bytes, demuxer: TSDemuxer(timestampOffset: offset), chunk: { _ in 7 })
        var written = cue
        written.ptsAdjustment = TSTime.wrap(offset)
        #expect(result.splices.map(\.splice) == [written])
        #expect(result.splices.map(\.spliceTime) == [270_000])
        #expect(written.spliceTime == 180_000)
        #expect(result.samples(0).first?.dts == source.samples.first { $0.track == 0 }?.sample.dts)
    }

    enum Damage: String, CaseIterable {
        case badCRC, encrypted, tooLong, truncated, anotherTable
    }

    @Test(arguments: Damage.allCases)
    func anUnusableCueIsCountedAndDroppedAndTheStreamGoesOn(_ damage: Damage) throws {
        let good = SpliceInfoSection.breakStart(eventID: 1, ptsTime: 90_000, duration: 90_000).encoded()
        var bad = good
        switch damage {
        case .badCRC: bad[bad.count - 1] ^= 0xFF
        case .encrypted:
            bad[4] |= 0x80
            bad = Self.recrc(bad)
        case .tooLong:  // section_length 4095: over SCTE-35's 4093
            bad[1] |= 0x0F
            bad[2] = 0xFF
        case .truncated:  // 16 bytes: shorter than the smallest section (§9.6.1)
            bad = Array(good[0..<12]) + [0, 0, 0, 0]
            bad[1] &= 0xF0
            bad[2] = UInt8(bad.count - 3)
            bad = Self.recrc(bad)
        case .anotherTable:
            bad[0] = 0xC0
            bad = Self.recrc(bad)
        }
        var b = TSBuilder()
        b.pat()
        b.pmt([(0x1B, 0x100), (0x86, Self.splicePID)], programDescriptors: TSSpliceStream.registrationDescriptor)
        b.section(bad, pid: Self.splicePID)
        b.section(good, pid: Self.splicePID)
        let result = try demux(b.array)
        #expect(result.statistics.invalidSpliceSections == 1)
        #expect(result.statistics.spliceSections == 1)
        #expect(result.splices.map(\.spliceTime) == [90_000])
    }

    @Test func aPIDTheProgramDoesNotListAsSCTE35IsNotRead() throws {
        let cue = SpliceInfoSection.breakStart(eventID: 1, ptsTime: 90_000, duration: 90_000).encoded()
        var b = TSBuilder()
        b.pat()
        b.pmt([(0x1B, 0x100), (0x06, Self.splicePID)])
        b.section(cue, pid: Self.splicePID)
        let result = try demux(b.array)
        #expect(result.splices.isEmpty)
        #expect(result.statistics.invalidSpliceSections == 0)
    }
}
