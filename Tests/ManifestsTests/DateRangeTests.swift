import MediaCore
import Testing
@testable import Manifests

/// EXT-X-DATERANGE (RFC 8216bis §4.4.5.1) with SCTE-35 cues (§4.4.5.1.1).
@Suite struct DateRangeTests {
    /// 2026-12-07T08:00:00.000Z.
    static let start: Int64 = 1_796_630_400_000
    static let cue: [UInt8] = [0xFC, 0x30, 0x11, 0x00, 0xAB]

    static let out = MediaPlaylist.DateRange(
        id: "b1", rangeClass: "urn:antenne:marker:adBreak", startDate: start + 4_000, plannedDuration: Fixtures.video(30),
        scte35: .out(cue))

    /// Six 2 s segments, MSN 10-15, each with its program date time; the break starts on 12.
    static func playlist(ranges: [Int: [MediaPlaylist.DateRange]]) -> MediaPlaylist {
        let map = MediaPlaylist.Map(uri: "init.mp4")
        let segments = (10..<16).map { msn in
            var segment = MediaPlaylist.Segment(
                uri: "\(msn).m4s", duration: Fixtures.video(2), map: map, programDateTime: start + Int64(msn - 10) * 2_000)
            segment.dateRanges = ranges[msn] ?? []
            return segment
        }
        return MediaPlaylist(
            version: 9, targetDuration: 2, mediaSequence: 10,
            serverControl: .init(canBlockReload: true, canSkipUntil: Fixtures.video(6)), segments: segments)
    }

    @Test func rendersAfterItsSegmentsProgramDateTime() {
        let text = Self.playlist(ranges: [12: [Self.out]]).render()
        #expect(text.contains("""
            #EXT-X-PROGRAM-DATE-TIME:2026-12-07T08:00:04.000Z
            #EXT-X-DATERANGE:ID="b1",CLASS="urn:antenne:marker:adBreak",START-DATE="2026-12-07T08:00:04.000Z",PLANNED-DURATION=30.00000,SCTE35-OUT=0xFC301100AB
            #EXTINF:2.00000,
            12.m4s
            """))
        #expect(text.components(separatedBy: "#EXT-X-DATERANGE").count == 2)
    }

    @Test func rendersEachCueAttribute() {
        var back = Self.out
        back.plannedDuration = nil
        back.duration = Fixtures.video(30)
        back.scte35 = .in([0x01, 0xEF])
        #expect(back.attributes.hasSuffix(",DURATION=30.00000,SCTE35-IN=0x01EF"))
        back.scte35 = .command([])
        #expect(back.attributes.hasSuffix(",SCTE35-CMD=0x"))
        back.scte35 = nil
        back.rangeClass = nil
        #expect(back.attributes == "ID=\"b1\",START-DATE=\"2026-12-07T08:00:04.000Z\",DURATION=30.00000")
    }

    @Test func rendersOnTheSegmentInProgress() {
        var playlist = Self.playlist(ranges: [:])
        playlist.inProgressSegment = .init(map: MediaPlaylist.Map(uri: "init.mp4"), programDateTime: Self.start + 12_000, parts: Fixtures.parts(16, count: 1))
        playlist.inProgressSegment?.dateRanges = [Self.out]
        #expect(playlist.render().hasSuffix("""
            #EXT-X-PROGRAM-DATE-TIME:2026-12-07T08:00:12.000Z
            #EXT-X-DATERANGE:ID="b1",CLASS="urn:antenne:marker:adBreak",START-DATE="2026-12-07T08:00:04.000Z",PLANNED-DURATION=30.00000,SCTE35-OUT=0xFC301100AB
            #EXT-X-PART:DURATION=0.50000,URI="16.0.m4s",INDEPENDENT=YES

            """))
    }

    /// A delta update skips segments, never date ranges (no CAN-SKIP-DATERANGES): the ranges of
    /// skipped segments go with the first segment left.
    @Test func aDeltaUpdateKeepsTheRangesOfSkippedSegments() {
        var back = Self.out
        back.scte35 = .in([0x01])
        let playlist = Self.playlist(ranges: [10: [Self.out], 11: [back]])
        let delta = playlist.deltaUpdate(canSkipUntil: Fixtures.video(6))
        #expect(delta.skippedSegments == 3)
        #expect(delta.segments.first?.uri == "13.m4s")
        #expect(delta.segments.first?.dateRanges == [Self.out, back])
        let text = delta.render()
        #expect(text.components(separatedBy: "#EXT-X-DATERANGE:").count == 3)
        #expect(text.range(of: "#EXT-X-SKIP")!.lowerBound < text.range(of: "#EXT-X-DATERANGE")!.lowerBound)
    }

    /// What this module renders, it parses back: every attribute, on the segment it starts at and
    /// on the segment in progress.
    @Test func parsesWhatItRenders() throws {
        var back = Self.out
        back.plannedDuration = nil
        back.duration = Fixtures.video(30)
        back.scte35 = .in([0x01, 0xEF])
        var playlist = Self.playlist(ranges: [12: [Self.out], 15: [back]])
        playlist.inProgressSegment = .init(map: MediaPlaylist.Map(uri: "init.mp4"), programDateTime: Self.start + 12_000, parts: Fixtures.parts(16, count: 1))
        var programme = Self.out
        programme.id = "p1"
        programme.scte35 = .command(Self.cue)
        playlist.inProgressSegment?.dateRanges = [programme]
        let parsed = try MediaPlaylist.parse(playlist.render(), timescale: 90_000)
        #expect(parsed.segments[2].dateRanges == [Self.out])
        #expect(parsed.segments[5].dateRanges == [back])
        #expect(parsed.segments.map(\.dateRanges.count) == [0, 0, 1, 0, 0, 1])
        #expect(parsed.inProgressSegment?.dateRanges == [programme])
        #expect(parsed.droppedDateRanges == 0)
    }

    /// A date range that cannot be read, or is over a limit, is left out and counted; the segments
    /// around it stand.
    @Test(arguments: [
        // SCTE35 over the 4,096 bytes of the largest splice_info_section.
        "ID=\"big\",START-DATE=\"2026-12-07T08:00:04.000Z\",SCTE35-OUT=0x" + String(repeating: "FC", count: 4_097),
        "ID=\"odd\",START-DATE=\"2026-12-07T08:00:04.000Z\",SCTE35-OUT=0xFC3",
        "ID=\"hex\",START-DATE=\"2026-12-07T08:00:04.000Z\",SCTE35-OUT=0xZZ",
        "ID=\"two\",START-DATE=\"2026-12-07T08:00:04.000Z\",SCTE35-OUT=0xFC,SCTE35-IN=0xFC",
        "START-DATE=\"2026-12-07T08:00:04.000Z\"",
        "ID=\"date\",START-DATE=\"yesterday\"",
        "ID=\"long\",START-DATE=\"2026-12-07T08:00:04.000Z\",X-PAD=\"" + String(repeating: "a", count: 12 << 10) + "\"",
    ])
    func leavesOutADateRangeItCannotHold(attributes: String) throws {
        let text = Self.playlist(ranges: [:]).render().replacingOccurrences(
            of: "#EXTINF:2.00000,\n12.m4s", with: "#EXT-X-DATERANGE:\(attributes)\n#EXTINF:2.00000,\n12.m4s")
        let parsed = try MediaPlaylist.parse(text, timescale: 90_000, limits: PlaylistLimits(maxLineBytes: 16 << 10))
        #expect(parsed.segments.count == 6)
        #expect(parsed.segments.allSatisfy { $0.dateRanges.isEmpty })
        #expect(parsed.droppedDateRanges == 1)
        #expect(parsed.firstDroppedDateRange?.line != 0)
    }

    /// Past ``PlaylistLimits/maxDateRanges`` in one playlist, date ranges are left out.
    @Test func holdsAtMostMaxDateRanges() throws {
        let many = (0..<5).map { index in
            var range = Self.out
            range.id = "b\(index)"
            return range
        }
        let text = Self.playlist(ranges: [12: many]).render()
        let parsed = try MediaPlaylist.parse(text, timescale: 90_000, limits: PlaylistLimits(maxDateRanges: 3))
        #expect(parsed.segments[2].dateRanges == Array(many.prefix(3)))
        #expect(parsed.droppedDateRanges == 2)
        #expect(parsed.firstDroppedDateRange?.kind == .limitExceeded(limit: "maxDateRanges", maximum: 3))
    }

    /// The largest splice_info_section is held.
    @Test func holdsAFullSizeSection() throws {
        var full = Self.out
        full.scte35 = .out([UInt8](repeating: 0xFC, count: 4_096))
        let parsed = try MediaPlaylist.parse(Self.playlist(ranges: [12: [full]]).render(), timescale: 90_000)
        #expect(parsed.segments[2].dateRanges == [full])
    }
}
