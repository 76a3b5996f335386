import MediaCore
import Testing
@testable import Manifests

/// A query given to the renderers (a playback token, a DVR reach) goes on every URI they write.
@Suite struct URIQueryTests {
    static let token = URIQuery("token=T0k-_n")

    @Test func multivariant() throws {
        let playlist = MultivariantPlaylist(
            version: 9, independentSegments: true,
            renditions: [
                .init(type: .audio, groupID: "audio", name: "audio, stereo", isDefault: true, autoselect: true, channels: "2",
                      uri: "audio/index.m3u8"),
                .init(type: .audio, groupID: "audio", name: "muxed"),
            ],
            variants: [
                .init(bandwidth: 1_000_000, codecs: ["avc1.64001f", "mp4a.40.2"], resolution: .init(width: 640, height: 360),
                      audioGroup: "audio", uri: "source/index.m3u8"),
                .init(bandwidth: 500_000, codecs: ["avc1.64001f"], uri: "360p/index.m3u8?lang=en"),
                .init(bandwidth: 400_000, codecs: ["avc1.64001f"], uri: "https://elsewhere.example/index.m3u8"),
            ])
        let signed = playlist.render(query: Self.token)
        #expect(signed == """
        #EXTM3U
        #EXT-X-VERSION:9
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio, stereo",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8?token=T0k-_n"
        #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="muxed",DEFAULT=NO,AUTOSELECT=NO
        #EXT-X-STREAM-INF:BANDWIDTH=1000000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=640x360,AUDIO="audio"
        source/index.m3u8?token=T0k-_n
        #EXT-X-STREAM-INF:BANDWIDTH=500000,CODECS="avc1.64001f"
        360p/index.m3u8?lang=en&token=T0k-_n
        #EXT-X-STREAM-INF:BANDWIDTH=400000,CODECS="avc1.64001f"
        https://elsewhere.example/index.m3u8

        """)
        // Without a query the text is the plain rendering, and the query changes nothing else.
        #expect(playlist.render(query: nil) == playlist.render())
        #expect(signed.replacingOccurrences("?token=T0k-_n", "").replacingOccurrences("&token=T0k-_n", "") == playlist.render())
    }

    @Test func mediaPlaylist() throws {
        let second = MediaTime(ticks: 1, timescale: 1)
        let half = MediaTime(ticks: 1, timescale: 2)
        let playlist = MediaPlaylist(
            version: 9, targetDuration: 2, mediaSequence: 10, independentSegments: true, partTarget: half,
            serverControl: .init(canBlockReload: true, canSkipUntil: MediaTime(ticks: 12, timescale: 1), partHoldBack: MediaTime(ticks: 3, timescale: 2)),
            skippedSegments: 3,
            segments: [
                .init(uri: "13.m4s", duration: MediaTime(ticks: 2, timescale: 1), map: .init(uri: "init.mp4"),
                      programDateTime: 1_735_689_600_000),
                .init(uri: "14.m4s", duration: second, discontinuity: true, map: .init(uri: "init-1.mp4#frag"), parts: [
                    .init(uri: "14.0.m4s", duration: half, independent: true),
                    .init(uri: "14.1.m4s?x=1", duration: half),
                ]),
            ],
            inProgressSegment: .init(parts: [.init(uri: "//cdn.example/15.0.m4s", duration: half, independent: true)]),
            preloadHint: .init(type: .part, uri: "15.1.m4s"),
            renditionReports: [.init(uri: "../audio/index.m3u8", lastMSN: 15, lastPart: 0)])
        let signed = playlist.render(query: Self.token)
        #expect(signed == """
        #EXTM3U
        #EXT-X-VERSION:9
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:10
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.00000,PART-HOLD-BACK=1.50000
        #EXT-X-PART-INF:PART-TARGET=0.50000
        #EXT-X-SKIP:SKIPPED-SEGMENTS=3
        #EXT-X-MAP:URI="init.mp4?token=T0k-_n"
        #EXT-X-PROGRAM-DATE-TIME:2025-01-01T00:00:00.000Z
        #EXTINF:2.00000,
        13.m4s?token=T0k-_n
        #EXT-X-DISCONTINUITY
        #EXT-X-MAP:URI="init-1.mp4?token=T0k-_n#frag"
        #EXT-X-PART:DURATION=0.50000,URI="14.0.m4s?token=T0k-_n",INDEPENDENT=YES
        #EXT-X-PART:DURATION=0.50000,URI="14.1.m4s?x=1&token=T0k-_n"
        #EXTINF:1.00000,
        14.m4s?token=T0k-_n
        #EXT-X-PART:DURATION=0.50000,URI="//cdn.example/15.0.m4s",INDEPENDENT=YES
        #EXT-X-PRELOAD-HINT:TYPE=PART,URI="15.1.m4s?token=T0k-_n"
        #EXT-X-RENDITION-REPORT:URI="../audio/index.m3u8?token=T0k-_n",LAST-MSN=15,LAST-PART=0

        """)
        // What a player reads back: every relative URI, of every kind, carries the token.
        let parsed = try MediaPlaylist.parse(signed)
        let uris = parsed.segments.flatMap { [$0.uri] + $0.parts.map(\.uri) + [$0.map?.uri].compactMap { $0 } }
            + (parsed.inProgressSegment?.parts.map(\.uri) ?? [])
            + [parsed.preloadHint?.uri].compactMap { $0 } + parsed.renditionReports.map(\.uri)
        #expect(uris.count == 9)
        #expect(uris.filter { !$0.hasPrefix("//") }.allSatisfy { $0.contains("token=T0k-_n") }, "\(uris)")
        #expect(playlist.render(query: nil) == playlist.render())
    }

    /// Queries compose: a DVR reach, then a token, as if appended one after the other.
    @Test func composedQueries() {
        let dvr = URIQuery("dvr=60")
        let both = dvr.appending(Self.token)
        #expect(both.parameters == "dvr=60&token=T0k-_n")
        #expect(both.applied(to: "a.m4s?x") == "a.m4s?x&dvr=60&token=T0k-_n")
        #expect(Self.token.applied(to: dvr.applied(to: "a.m4s#f")) == both.applied(to: "a.m4s#f"))
        let none: URIQuery? = nil
        #expect(none.appending(Self.token) == Self.token)
    }

    @Test func queriesAndFragments() {
        let q = URIQuery("token=t")
        #expect(q.applied(to: "a.m4s") == "a.m4s?token=t")
        #expect(q.applied(to: "a.m4s?x=1") == "a.m4s?x=1&token=t")
        #expect(q.applied(to: "a.m4s?") == "a.m4s?token=t")
        #expect(q.applied(to: "a.m4s?x=1&") == "a.m4s?x=1&token=t")
        #expect(q.applied(to: "a.m4s#f") == "a.m4s?token=t#f")
        #expect(q.applied(to: "a.m4s?x#f") == "a.m4s?x&token=t#f")
        #expect(q.applied(to: "a.m4s#f?g") == "a.m4s?token=t#f?g")
        #expect(q.applied(to: "../b/index.m3u8") == "../b/index.m3u8?token=t")
        #expect(q.applied(to: "/hls/c/a.m4s") == "/hls/c/a.m4s?token=t")
        // A colon after a slash is in a path, not a scheme; one in the first segment after a
        // character a scheme cannot hold is not a scheme either.
        #expect(q.applied(to: "a/b:c.m4s") == "a/b:c.m4s?token=t")
        #expect(q.applied(to: "1a:b") == "1a:b?token=t")
        #expect(q.applied(to: "") == "?token=t")
        for absolute in ["http://cdn.example/a.m4s", "https://x/a?b", "//cdn.example/a.m4s", "skd://key", "data:text/plain,hi",
                         "HTTP://CDN.EXAMPLE/a", "a+b-c.d:x"] {
            #expect(q.applied(to: absolute) == absolute)
        }
    }
}

private extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
