import MediaCore
import Testing
@testable import Manifests

@Suite struct MediaPlaylistRenderTests {
    @Test func rendersLowLatencyLivePlaylist() {
        #expect(Fixtures.live.render() == Fixtures.liveText)
    }

    /// A transcoded rendition that missed segments lists them with EXT-X-GAP (issue 3).
    @Test func rendersAndParsesGapSegments() throws {
        let playlist = MediaPlaylist(
            version: 9, targetDuration: 2, mediaSequence: 10,
            segments: [
                .init(uri: "10.m4s", duration: MediaTime(ticks: 2, timescale: 1)),
                .init(uri: "11.m4s", duration: MediaTime(ticks: 2, timescale: 1), gap: true),
                .init(uri: "12.m4s", duration: MediaTime(ticks: 2, timescale: 1), discontinuity: true),
            ])
        let text = playlist.render()
        #expect(text.contains("10.m4s\n#EXT-X-GAP\n#EXTINF:2.00000,\n11.m4s\n#EXT-X-DISCONTINUITY\n"))
        let parsed = try MediaPlaylist.parse(text, timescale: 1)
        #expect(parsed.segments.map(\.gap) == [false, true, false])
        #expect(parsed.render() == text)
    }

    @Test func rendersVODWithByteRangesAndEndList() {
        let map = MediaPlaylist.Map(uri: "main.mp4", byteRange: .init(length: 720, offset: 0))
        let playlist = MediaPlaylist(
            version: 7, targetDuration: 3, playlistType: .vod,
            segments: [
                .init(uri: "main.mp4", duration: MediaTime(ticks: 96_256, timescale: 48_000), map: map,
                      byteRange: .init(length: 1_000, offset: 720)),
                .init(uri: "main.mp4", duration: MediaTime(ticks: 1, timescale: 200_000), map: map,
                      byteRange: .init(length: 900)),
            ],
            endList: true)
        #expect(playlist.render() == """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:3
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-PLAYLIST-TYPE:VOD
            #EXT-X-MAP:URI="main.mp4",BYTERANGE="720@0"
            #EXTINF:2.00533,
            #EXT-X-BYTERANGE:1000@720
            main.mp4
            #EXTINF:0.00001,
            #EXT-X-BYTERANGE:900
            main.mp4
            #EXT-X-ENDLIST

            """)
    }

    @Test func rendersPartAttributesAndPreloadHintRange() {
        let playlist = MediaPlaylist(
            version: 9, targetDuration: 2, partTarget: Fixtures.video(0.5),
            inProgressSegment: .init(
                discontinuity: true, programDateTime: 0,
                parts: [.init(uri: "seg.mp4", duration: Fixtures.video(0.48), independent: true,
                              byteRange: .init(length: 5_000, offset: 0), gap: true)]),
            preloadHint: .init(uri: "seg.mp4", byteRangeStart: 5_000))
        #expect(playlist.render() == """
            #EXTM3U
            #EXT-X-VERSION:9
            #EXT-X-TARGETDURATION:2
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-PART-INF:PART-TARGET=0.50000
            #EXT-X-DISCONTINUITY
            #EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:00:00.000Z
            #EXT-X-PART:DURATION=0.48000,URI="seg.mp4",INDEPENDENT=YES,BYTERANGE="5000@0",GAP=YES
            #EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg.mp4",BYTERANGE-START=5000

            """)
    }

    @Test func requiredTargetDurationRoundsToNearest() {
        func segment(_ ticks: Int64) -> MediaPlaylist.Segment {
            .init(uri: "s", duration: MediaTime(ticks: ticks, timescale: 90_000))
        }
        #expect(MediaPlaylist.requiredTargetDuration(for: []) == 1)
        #expect(MediaPlaylist.requiredTargetDuration(for: [segment(180_000), segment(224_999)]) == 2)
        #expect(MediaPlaylist.requiredTargetDuration(for: [segment(180_000), segment(225_000)]) == 3)
    }

    @Test func nextMediaSequenceCountsSkippedSegments() {
        #expect(Fixtures.live.nextMediaSequence == 104)
        #expect(Fixtures.live.deltaUpdate(canSkipUntil: Fixtures.video(4)).nextMediaSequence == 104)
    }
}
