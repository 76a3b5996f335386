import Archive
import MediaCore
import NIOCore
import Testing

@Suite struct SegmentRecordTests {
    static let track = TrackInfo(
        codec: .h264, timescale: 90_000, decoderConfig: [1, 0x64, 0, 0x1f], codecString: "avc1.64001f",
        video: VideoParameters(width: 1280, height: 720, frameRate: Rational(30_000, 1_001)))

    static func segment(msn: Int = 42, pdt: Int64 = 1_795_348_800_123, discontinuity: Bool = false, gap: Bool = false) -> CompletedSegment {
        CompletedSegment(
            channel: "match1", rendition: "720p", msn: msn, startDTS: -3_003, duration: 180_180, timescale: 90_000,
            programDateTime: pdt, discontinuity: discontinuity, gap: gap, track: track,
            initSegment: ByteBuffer(string: "init bytes"), data: ByteBuffer(string: gap ? "" : "segment bytes")
        )
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func theKeyHoldsTheIndexEntry(discontinuity: Bool, gap: Bool) throws {
        let record = SegmentRecord(Self.segment(discontinuity: discontinuity, gap: gap))
        let key = try record.key
        // 1_795_348_800_123 ms is 2026-11-22T12:00:00.123Z.
        #expect(key.value.hasPrefix("match1/720p/20261122/12/0000000042_1795348800123_-3003_180180_90000_"))
        let parsed = try #require(SegmentRecord(ArchiveObject(key: key, size: record.size)))
        #expect(parsed == record)
        #expect(parsed.durationMilliseconds == 2_002)
        #expect(try record.initKey.value == "match1/720p/init/\(record.initID).mp4")
        #expect(record.initID.count == 16 && record.initID.allSatisfy(\.isHexDigit))
    }

    @Test func keysSortByMediaSequence() throws {
        let keys = try [9, 10, 100, 11].map { try SegmentRecord(Self.segment(msn: $0)).key.value }.sorted()
        #expect(keys.map { $0.split(separator: "/")[4].prefix(10) } == ["0000000009", "0000000010", "0000000011", "0000000100"])
    }

    @Test(arguments: [
        "match1/720p/20261122/08/42_1_0_1_90000_n_0123456789abcdef.m4s",  // msn not padded
        "match1/720p/20261122/12/0000000042_1_0_1_0_n_0123456789abcdef.m4s",  // timescale 0
        "match1/720p/20261122/12/0000000042_1_0_1_90000_x_0123456789abcdef.m4s",  // unknown flag
        "match1/720p/20261122/12/0000000042_1_0_1_90000_n_0123.m4s",  // short init id
        "match1/720p/init/0123456789abcdef.mp4",
        "match1/720p/20261122/0000000042_1_0_1_90000_n_0123456789abcdef.m4s",  // no hour
    ])
    func otherKeysAreNotSegments(_ value: String) throws {
        #expect(SegmentRecord(ArchiveObject(key: try ArchiveKey(value), size: 1)) == nil)
    }

    @Test(arguments: [
        (Int64(0), ["19700101", "00"]), (Int64(-1), ["19691231", "23"]), (Int64(951_782_400_000), ["20000229", "00"]),
        (Int64(1_795_348_800_123), ["20261122", "12"]), (Int64(4_102_444_799_999), ["20991231", "23"]),
    ])
    func hourPaths(_ milliseconds: Int64, _ expected: [String]) {
        #expect(SegmentRecord.hourPath(milliseconds) == expected)
    }

    @Test(arguments: [Int64(0), -3_600_000, 951_782_400_000, 1_795_348_800_123, 4_102_444_799_999, 1_709_164_800_000])
    func anHourStartsWhereItsPathSaysSo(_ milliseconds: Int64) throws {
        let path = SegmentRecord.hourPath(milliseconds)
        let start = try #require(SegmentRecord.startOfHour(day: path[0], hour: path[1]))
        #expect(start <= milliseconds && milliseconds < start + 3_600_000)
        #expect(SegmentRecord.hourPath(start) == path)
    }

    @Test(arguments: [("2026112", "10"), ("20261322", "10"), ("20261100", "10"), ("20261122", "24"), ("2026112x", "10"), ("init", "00")])
    func notAnHour(_ day: String, _ hour: String) {
        #expect(SegmentRecord.startOfHour(day: day, hour: hour) == nil)
    }
}
