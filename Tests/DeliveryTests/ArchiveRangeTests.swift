@testable import Delivery
import Testing

@Suite struct ArchiveRangeTests {
    static let now: Int64 = 1_795_348_800_000  // 2026-11-22T12:00:00Z

    @Test func timesWithZonesAndFractions() throws {
        #expect(ArchiveRange.time("2026-11-22T12:00:00Z") == Self.now)
        #expect(ArchiveRange.time("2026-11-22T13:00:00+01:00") == Self.now)
        #expect(ArchiveRange.time("2026-11-22T11:59:59.250Z") == Self.now - 750)
        for bad in ["", "2026-11-22", "2026-11-22T12:00:00", "yesterday", "1795348800", String(repeating: "9", count: 41)] {
            #expect(ArchiveRange.time(bad) == nil, "\(bad)")
        }
        #expect(ArchiveRange.format(Self.now - 750) == "2026-11-22T11:59:59.250Z")
    }

    @Test func rangesAndTheirRefusals() throws {
        #expect(try ArchiveRange.parse(start: nil, end: nil, now: Self.now) == nil)
        #expect(try ArchiveRange.parse(start: "2026-11-22T11:00:00Z", end: nil, now: Self.now) == ArchiveRange(start: Self.now - 3_600_000, end: nil))
        let range = try ArchiveRange.parse(start: "2026-11-22T11:00:00Z", end: "2026-11-22T11:00:10Z", now: Self.now)
        #expect(range == ArchiveRange(start: Self.now - 3_600_000, end: Self.now - 3_590_000))
        #expect(range?.query == "start=2026-11-22T11:00:00.000Z&end=2026-11-22T11:00:10.000Z")
        let cases: [(String?, String?, ArchiveRange.Failure)] = [
            (nil, "2026-11-22T11:00:00Z", .endWithoutStart),
            ("noon", nil, .unreadable("start")),
            ("2026-11-22T11:00:00Z", "later", .unreadable("end")),
            ("2026-11-22T11:00:00Z", "2026-11-22T11:00:00Z", .empty),
            ("2026-11-22T12:00:01Z", nil, .inTheFuture),
            ("2026-11-01T11:00:00Z", nil, .tooLong),
            ("2026-11-01T11:00:00Z", "2026-11-22T11:00:00Z", .tooLong),
        ]
        for (start, end, failure) in cases {
            #expect(throws: failure) { try ArchiveRange.parse(start: start, end: end, now: Self.now) }
        }
    }

    @Test func overlapsCountSegmentsThatHoldTheEdges() {
        let range = ArchiveRange(start: 10_000, end: 20_000)
        #expect(range.overlaps(programDateTime: 8_500, milliseconds: 2_000, now: 0), "holds the start")
        #expect(!range.overlaps(programDateTime: 8_000, milliseconds: 2_000, now: 0), "ends at the start")
        #expect(range.overlaps(programDateTime: 19_999, milliseconds: 2_000, now: 0), "holds the end")
        #expect(!range.overlaps(programDateTime: 20_000, milliseconds: 2_000, now: 0))
        #expect(ArchiveRange(start: 10_000, end: nil).overlaps(programDateTime: 29_000, milliseconds: 2_000, now: 30_000))
    }
}
