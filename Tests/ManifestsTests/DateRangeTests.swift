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
}
