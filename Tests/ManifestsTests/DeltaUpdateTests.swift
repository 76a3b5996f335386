import MediaCore
import Testing
@testable import Manifests

@Suite struct DeltaUpdateTests {
    /// Ten 2 s segments, MSN 50-59; parts on the last three and on the in-progress segment.
    static let long: MediaPlaylist = {
        let map = MediaPlaylist.Map(uri: "init.mp4")
        var segments = (50..<60).map { msn in
            MediaPlaylist.Segment(uri: "\(msn).m4s", duration: Fixtures.video(2), map: map, parts: Fixtures.parts(msn, count: 4))
        }
        segments[3].discontinuity = true
        return MediaPlaylist(
            version: 6, targetDuration: 2, mediaSequence: 50, discontinuitySequence: 7, partTarget: Fixtures.video(0.5),
            serverControl: .init(canBlockReload: true, canSkipUntil: Fixtures.video(12), partHoldBack: Fixtures.video(1.5)),
            segments: segments,
            inProgressSegment: .init(map: map, parts: Fixtures.parts(60, count: 1)),
            preloadHint: .init(uri: "60.1.m4s"))
    }()

    @Test func skipsSegmentsOlderThanCanSkipUntil() {
        // End of playlist at 20 s; segments starting before 8 s (50..53) are more than 12 s old.
        // The segment starting at exactly 8 s (54) is not "more than" 12 s before the end.
        let delta = Self.long.removingStaleParts().deltaUpdate(canSkipUntil: Fixtures.video(12))
        #expect(delta.skippedSegments == 4)
        #expect(delta.mediaSequence == 50)
        #expect(delta.discontinuitySequence == 7)
        #expect(delta.segments.first?.uri == "54.m4s")
        #expect(delta.render() == """
            #EXTM3U
            #EXT-X-VERSION:9
            #EXT-X-TARGETDURATION:2
            #EXT-X-MEDIA-SEQUENCE:50
            #EXT-X-DISCONTINUITY-SEQUENCE:7
            #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.00000,PART-HOLD-BACK=1.50000
            #EXT-X-PART-INF:PART-TARGET=0.50000
            #EXT-X-SKIP:SKIPPED-SEGMENTS=4
            #EXT-X-MAP:URI="init.mp4"
            #EXTINF:2.00000,
            54.m4s
            #EXTINF:2.00000,
            55.m4s
            #EXTINF:2.00000,
            56.m4s
            #EXT-X-PART:DURATION=0.50000,URI="57.0.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.50000,URI="57.1.m4s"
            #EXT-X-PART:DURATION=0.50000,URI="57.2.m4s"
            #EXT-X-PART:DURATION=0.50000,URI="57.3.m4s"
            #EXTINF:2.00000,
            57.m4s
            #EXT-X-PART:DURATION=0.50000,URI="58.0.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.50000,URI="58.1.m4s"
            #EXT-X-PART:DURATION=0.50000,URI="58.2.m4s"
            #EXT-X-PART:DURATION=0.50000,URI="58.3.m4s"
            #EXTINF:2.00000,
            58.m4s
            #EXT-X-PART:DURATION=0.50000,URI="59.0.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.50000,URI="59.1.m4s"
            #EXT-X-PART:DURATION=0.50000,URI="59.2.m4s"
            #EXT-X-PART:DURATION=0.50000,URI="59.3.m4s"
            #EXTINF:2.00000,
            59.m4s
            #EXT-X-PART:DURATION=0.50000,URI="60.0.m4s",INDEPENDENT=YES
            #EXT-X-PRELOAD-HINT:TYPE=PART,URI="60.1.m4s"

            """)
    }

    @Test func deltaRoundTripsThroughParser() throws {
        let delta = Self.long.deltaUpdate(canSkipUntil: Fixtures.video(12))
        let parsed = try MediaPlaylist.parse(delta.render(), timescale: 90_000)
        #expect(parsed == delta)
        #expect(parsed.nextMediaSequence == 60)
    }

    @Test func nothingToSkipReturnsFullPlaylist() {
        #expect(Self.long.deltaUpdate(canSkipUntil: Fixtures.video(30)) == Self.long)
        // Never skips the last segment, even with a CAN-SKIP-UNTIL shorter than it.
        let tiny = Self.long.deltaUpdate(canSkipUntil: MediaTime(ticks: 1, timescale: 90_000))
        #expect(tiny.skippedSegments == 9)
        #expect(tiny.segments.map(\.uri) == ["59.m4s"])
    }

    @Test func removesPartsOlderThanThreeTargetDurations() {
        // End of playlist = 20 s of segments + 0.5 s in progress; window 6 s: keep parts of
        // segments ending after 14.5 s, i.e. 57 (ends 16 s), 58, 59. 56 ends at 14 s.
        let trimmed = Self.long.removingStaleParts()
        #expect(trimmed.segments.map(\.parts.count) == [0, 0, 0, 0, 0, 0, 0, 4, 4, 4])
        #expect(trimmed.inProgressSegment?.parts.count == 1)
    }
}
