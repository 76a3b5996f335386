import MediaCore
import Testing
@testable import Manifests

@Suite struct MediaPlaylistParseTests {
    @Test func roundTripsLivePlaylist() throws {
        let parsed = try MediaPlaylist.parse(Fixtures.liveText, timescale: 90_000)
        #expect(parsed == Fixtures.live)
        #expect(parsed.render() == Fixtures.liveText)
    }

    @Test func roundTripsAtDefaultMicrosecondTimescale() throws {
        let parsed = try MediaPlaylist.parse(Fixtures.liveText)
        #expect(parsed.segments[1].duration == MediaTime(ticks: 1_960_000, timescale: 1_000_000))
        #expect(parsed.serverControl?.canSkipUntil == MediaTime(ticks: 12_000_000, timescale: 1_000_000))
        #expect(parsed.render() == Fixtures.liveText)
    }

    @Test func parsesInProgressSegmentAndLowLatencyTags() throws {
        let parsed = try MediaPlaylist.parse(Fixtures.liveText, timescale: 90_000)
        #expect(parsed.segments.map(\.uri) == ["100.m4s", "101.m4s", "102.m4s", "103.m4s"])
        #expect(parsed.segments[2].discontinuity)
        #expect(parsed.segments[2].map?.uri == "init-1.mp4")
        #expect(parsed.segments[1].map?.uri == "init.mp4")
        #expect(parsed.segments[1].programDateTime == nil)
        #expect(parsed.inProgressSegment?.parts.map(\.uri) == ["104.0.m4s", "104.1.m4s"])
        #expect(parsed.preloadHint == .init(type: .part, uri: "104.2.m4s"))
        #expect(parsed.renditionReports.count == 2)
    }

    /// Apple's LL-HLS example shape: version 6 tags in a different order, decimal durations with
    /// five decimals that do not land on 90 kHz ticks, a MAP preload hint, `EXT-X-SKIP`, titles.
    @Test func parsesAppleStyleDelta() throws {
        let text = """
            #EXTM3U
            #EXT-X-TARGETDURATION:4
            #EXT-X-VERSION:9
            #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.0,CAN-SKIP-UNTIL=24.0
            #EXT-X-PART-INF:PART-TARGET=0.33334
            #EXT-X-MEDIA-SEQUENCE:266
            #EXT-X-SKIP:SKIPPED-SEGMENTS=3
            #EXT-X-PROGRAM-DATE-TIME:2019-02-14T02:13:36.106+00:00
            #EXT-X-MAP:URI="init.mp4"
            #EXTINF:4.00008,title
            fileSequence269.mp4
            #EXT-X-PART:DURATION=0.33334,URI="filePart270.0.mp4",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.33334,URI="filePart270.1.mp4"
            #EXT-X-PRELOAD-HINT:TYPE=MAP,URI="init2.mp4",BYTERANGE-START=0,BYTERANGE-LENGTH=700
            #EXT-X-RENDITION-REPORT:URI="../1M/waitForMSN.php",LAST-MSN=270,LAST-PART=1
            """
        let parsed = try MediaPlaylist.parse(text, timescale: 90_000)
        #expect(parsed.skippedSegments == 3)
        #expect(parsed.nextMediaSequence == 270)
        #expect(parsed.partTarget == MediaTime(ticks: 30_001, timescale: 90_000))  // 30000.6 rounds up
        #expect(parsed.serverControl == .init(
            canBlockReload: true, canSkipUntil: MediaTime(ticks: 2_160_000, timescale: 90_000),
            partHoldBack: MediaTime(ticks: 90_000, timescale: 90_000)))
        #expect(parsed.segments == [
            .init(uri: "fileSequence269.mp4", duration: MediaTime(ticks: 360_007, timescale: 90_000),
                  map: .init(uri: "init.mp4"), programDateTime: 1_550_110_416_106),
        ])
        #expect(parsed.inProgressSegment?.parts.count == 2)
        #expect(parsed.inProgressSegment?.map == .init(uri: "init.mp4"))
        #expect(parsed.preloadHint == .init(type: .map, uri: "init2.mp4", byteRangeStart: 0, byteRangeLength: 700))
    }

    @Test func ignoresUnknownTagsAndComments() throws {
        let text = """
            #EXTM3U
            #EXT-X-TARGETDURATION:10
            #EXT-X-ALLOW-CACHE:YES
            # a comment
            #EXT-X-KEY:METHOD=NONE
            #EXT-X-DATERANGE:ID="ad",START-DATE="2026-11-22T10:00:00Z"

            #EXTINF:9.5,
            a.ts
            """
        let parsed = try MediaPlaylist.parse(text, timescale: 1_000)
        #expect(parsed.version == 1)
        var segment = MediaPlaylist.Segment(uri: "a.ts", duration: MediaTime(ticks: 9_500, timescale: 1_000))
        segment.dateRanges = [.init(id: "ad", startDate: 1_795_341_600_000)]
        #expect(parsed.segments == [segment])
        #expect(parsed.inProgressSegment == nil)
    }

    @Test(arguments: [
        ("#EXTM3U\n#EXTINF:2,\na.ts\n", ManifestError.Kind.missingTag("EXT-X-TARGETDURATION")),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\na.ts\n", .unpairedTag("EXTINF")),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n", .unpairedTag("EXTINF")),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.5.1,\na.ts\n", .invalidValue(tag: "EXTINF", attribute: nil)),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:-2,\na.ts\n", .invalidValue(tag: "EXTINF", attribute: nil)),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.0000000001,\na.ts\n", .invalidValue(tag: "EXTINF", attribute: nil)),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:two\n", .invalidValue(tag: "EXT-X-TARGETDURATION", attribute: nil)),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PART:URI=\"a\"\n", .missingAttribute(tag: "EXT-X-PART", attribute: "DURATION")),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PART:DURATION=0.5,URI=\"a\",URI=\"b\"\n", .duplicateAttribute(tag: "EXT-X-PART", attribute: "URI")),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PART:DURATION=0.5,URI=a\n", .invalidValue(tag: "EXT-X-PART", attribute: "URI")),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PART:DURATION=0.5,URI=\"a\n", .invalidValue(tag: "EXT-X-PART", attribute: "URI")),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PART:DURATION=0.5,URI=\"a\",INDEPENDENT=MAYBE\n", .invalidValue(tag: "EXT-X-PART", attribute: "INDEPENDENT")),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PROGRAM-DATE-TIME:2026-13-01T00:00:00Z\n", .invalidValue(tag: "EXT-X-PROGRAM-DATE-TIME", attribute: nil)),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n", .unsupported("EXT-X-KEY")),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-STREAM-INF:BANDWIDTH=1\n", .wrongPlaylistKind),
        ("#EXT-X-TARGETDURATION:2\n", .missingHeader),
        ("", .missingHeader),
    ])
    func rejectsMalformed(text: String, kind: ManifestError.Kind) {
        let error = #expect(throws: ManifestError.self) { try MediaPlaylist.parse(text) }
        #expect(error?.kind == kind)
    }

    @Test func errorCarriesLineNumberAndExcerpt() {
        let error = #expect(throws: ManifestError.self) {
            try MediaPlaylist.parse("#EXTM3U\n\n#EXT-X-TARGETDURATION:2\n#EXTINF:x,\na.ts\n")
        }
        #expect(error?.line == 4)
        #expect(error?.excerpt == "#EXTINF:x,")
    }

    // MARK: - Limits

    static let threeSegments = """
        #EXTM3U
        #EXT-X-TARGETDURATION:2
        #EXT-X-PART:DURATION=1,URI="0.0.m4s"
        #EXT-X-PART:DURATION=1,URI="0.1.m4s"
        #EXTINF:2,
        0.m4s
        #EXTINF:2,
        1.m4s
        #EXTINF:2,
        2.m4s
        """

    @Test func acceptsTextAtTheLimits() throws {
        let limits = PlaylistLimits(
            maxBytes: Self.threeSegments.utf8.count, maxLines: 10, maxLineBytes: 36, maxSegments: 3, maxPartsPerSegment: 2)
        #expect(try MediaPlaylist.parse(Self.threeSegments, limits: limits).segments.count == 3)
    }

    @Test(arguments: [
        (PlaylistLimits(maxBytes: 100), "maxBytes", 100),
        (PlaylistLimits(maxLines: 9), "maxLines", 9),
        (PlaylistLimits(maxLineBytes: 35), "maxLineBytes", 35),
        (PlaylistLimits(maxSegments: 2), "maxSegments", 2),
        (PlaylistLimits(maxPartsPerSegment: 1), "maxPartsPerSegment", 1),
        (PlaylistLimits(maxAttributeListBytes: 20), "maxAttributeListBytes", 20),
        (PlaylistLimits(maxAttributes: 1), "maxAttributes", 1),
    ])
    func rejectsTextOverALimit(limits: PlaylistLimits, name: String, maximum: Int) {
        let error = #expect(throws: ManifestError.self) { try MediaPlaylist.parse(Self.threeSegments, limits: limits) }
        #expect(error?.kind == .limitExceeded(limit: name, maximum: maximum))
    }

    @Test func skippedSegmentCountIsBounded() {
        let text = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-SKIP:SKIPPED-SEGMENTS=999999999999\n"
        let error = #expect(throws: ManifestError.self) { try MediaPlaylist.parse(text) }
        #expect(error?.kind == .limitExceeded(limit: "maxSegments", maximum: PlaylistLimits.default.maxSegments))
    }

    @Test func defaultLimitsAdmitADayOfOneSecondSegments() throws {
        var text = "#EXTM3U\n#EXT-X-TARGETDURATION:1\n"
        for msn in 0..<86_400 { text += "#EXTINF:1.00000,\n\(msn).m4s\n" }
        #expect(try MediaPlaylist.parse(text).segments.count == 86_400)
    }

    @Test(.bug("fuzz/corpus hls-media: a repeated EXT-X-MAP after the last segment opened an empty segment that rendering dropped"))
    func aRepeatedMapAfterTheLastSegmentOpensNothing() throws {
        let head = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2.00000,\n0.m4s\n"
        let playlist = try MediaPlaylist.parse(head + "#EXT-X-MAP:URI=\"init.mp4\"\n")
        #expect(playlist.inProgressSegment == nil)
        #expect(try MediaPlaylist.parse(playlist.render()) == playlist)
        // A different init segment does open the next one, and renders.
        let changed = try MediaPlaylist.parse(head + "#EXT-X-MAP:URI=\"init-1.mp4\"\n")
        #expect(changed.inProgressSegment?.map?.uri == "init-1.mp4")
        #expect(try MediaPlaylist.parse(changed.render()) == changed)
    }

    @Test(.bug("fuzz hls-media: a URI ending in several carriage returns lost one each time it was written and read"))
    func aURIWithAControlCharacterIsRefused() throws {
        let head = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.00000,\n"
        // The line end takes "\r\n" and one more "\r" before it; a third is in the URI.
        let cases = [("40.m4s\r\r\r", "40.m4s\r"), ("40\u{01}.m4s", "40\u{01}.m4s"), ("4\u{0}0.m4s", "4\u{0}0.m4s"),
                     ("40.m4s\u{7F}", "40.m4s\u{7F}"), ("40\r.m4s", "40\r.m4s")]
        for (uri, excerpt) in cases {
            #expect(throws: ManifestError(.invalidURI, line: 4, excerpt: Substring(excerpt))) {
                try MediaPlaylist.parse(head + uri + "\n")
            }
        }
        for end in ["\r\n", "\r\r\n"] {
            let playlist = try MediaPlaylist.parse(head + "40.m4s" + end)
            #expect(playlist.segments.map(\.uri) == ["40.m4s"])
            #expect(try MediaPlaylist.parse(playlist.render()) == playlist)
        }
    }
}
