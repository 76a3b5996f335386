import Manifests
import Testing
@testable import Delivery

/// The token of a token channel's playlist carries on to every URI inside it.
@Suite struct PlaylistQueryTests {
    static let token = "token=T0k-_n"

    @Test func multivariant() throws {
        let text = """
        #EXTM3U
        #EXT-X-VERSION:9
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-SESSION-DATA:DATA-ID="com.example.title",URI="title.json"
        #EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI="keys/session.key",KEYFORMAT="identity"
        #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio, stereo",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"
        #EXT-X-STREAM-INF:BANDWIDTH=1000000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=640x360,AUDIO="audio"
        source/index.m3u8
        #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=100000,CODECS="avc1.64001f",URI="source/iframes.m3u8"
        #EXT-X-STREAM-INF:BANDWIDTH=500000,CODECS="avc1.64001f"
        360p/index.m3u8?lang=en
        #EXT-X-STREAM-INF:BANDWIDTH=400000,CODECS="avc1.64001f"
        https://elsewhere.example/index.m3u8

        """
        let signed = PlaylistQuery.appending(Self.token, to: text)
        #expect(signed == """
        #EXTM3U
        #EXT-X-VERSION:9
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-SESSION-DATA:DATA-ID="com.example.title",URI="title.json?token=T0k-_n"
        #EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI="keys/session.key?token=T0k-_n",KEYFORMAT="identity"
        #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio, stereo",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8?token=T0k-_n"
        #EXT-X-STREAM-INF:BANDWIDTH=1000000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=640x360,AUDIO="audio"
        source/index.m3u8?token=T0k-_n
        #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=100000,CODECS="avc1.64001f",URI="source/iframes.m3u8?token=T0k-_n"
        #EXT-X-STREAM-INF:BANDWIDTH=500000,CODECS="avc1.64001f"
        360p/index.m3u8?lang=en&token=T0k-_n
        #EXT-X-STREAM-INF:BANDWIDTH=400000,CODECS="avc1.64001f"
        https://elsewhere.example/index.m3u8

        """)
    }

    @Test func mediaPlaylist() throws {
        let text = """
        #EXTM3U
        #EXT-X-VERSION:9
        #EXT-X-TARGETDURATION:2
        #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.0,PART-HOLD-BACK=1.5
        #EXT-X-PART-INF:PART-TARGET=0.5
        #EXT-X-MEDIA-SEQUENCE:10
        #EXT-X-SKIP:SKIPPED-SEGMENTS=3
        #EXT-X-KEY:METHOD=AES-128,URI="key.bin",IV=0x00000000000000000000000000000001
        #EXT-X-MAP:URI="init.mp4"
        #EXT-X-PROGRAM-DATE-TIME:2025-01-01T00:00:00.000Z
        #EXTINF:2.000,title with URI="x"
        13.m4s
        #EXT-X-DISCONTINUITY
        #EXT-X-MAP:URI="init-1.mp4"
        #EXT-X-PART:DURATION=0.5,URI="14.0.m4s",INDEPENDENT=YES
        #EXT-X-PART:DURATION=0.5,URI="14.1.m4s"
        #EXTINF:1.000,
        14.m4s
        #EXT-X-PRELOAD-HINT:TYPE=PART,URI="15.0.m4s"
        #EXT-X-RENDITION-REPORT:URI="../audio/index.m3u8",LAST-MSN=14,LAST-PART=1

        """
        let signed = PlaylistQuery.appending(Self.token, to: text)
        #expect(signed == """
        #EXTM3U
        #EXT-X-VERSION:9
        #EXT-X-TARGETDURATION:2
        #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.0,PART-HOLD-BACK=1.5
        #EXT-X-PART-INF:PART-TARGET=0.5
        #EXT-X-MEDIA-SEQUENCE:10
        #EXT-X-SKIP:SKIPPED-SEGMENTS=3
        #EXT-X-KEY:METHOD=AES-128,URI="key.bin?token=T0k-_n",IV=0x00000000000000000000000000000001
        #EXT-X-MAP:URI="init.mp4?token=T0k-_n"
        #EXT-X-PROGRAM-DATE-TIME:2025-01-01T00:00:00.000Z
        #EXTINF:2.000,title with URI="x"
        13.m4s?token=T0k-_n
        #EXT-X-DISCONTINUITY
        #EXT-X-MAP:URI="init-1.mp4?token=T0k-_n"
        #EXT-X-PART:DURATION=0.5,URI="14.0.m4s?token=T0k-_n",INDEPENDENT=YES
        #EXT-X-PART:DURATION=0.5,URI="14.1.m4s?token=T0k-_n"
        #EXTINF:1.000,
        14.m4s?token=T0k-_n
        #EXT-X-PRELOAD-HINT:TYPE=PART,URI="15.0.m4s?token=T0k-_n"
        #EXT-X-RENDITION-REPORT:URI="../audio/index.m3u8?token=T0k-_n",LAST-MSN=14,LAST-PART=1

        """)
        // What a player reads back: every URI, of every kind, carries the token.
        let parsed = try MediaPlaylist.parse(signed.split(separator: "\n").filter { !$0.hasPrefix("#EXT-X-KEY") }.joined(separator: "\n"))
        let uris = parsed.segments.flatMap { [$0.uri] + $0.parts.map(\.uri) + [$0.map?.uri].compactMap { $0 } }
            + [parsed.preloadHint?.uri].compactMap { $0 } + parsed.renditionReports.map(\.uri)
        #expect(uris.count == 8)
        #expect(uris.allSatisfy { $0.hasSuffix("?token=T0k-_n") }, "\(uris)")
    }

    @Test func queriesAndFragments() {
        #expect(PlaylistQuery.appendingQuery("token=t", to: "a.m4s") == "a.m4s?token=t")
        #expect(PlaylistQuery.appendingQuery("token=t", to: "a.m4s?x=1") == "a.m4s?x=1&token=t")
        #expect(PlaylistQuery.appendingQuery("token=t", to: "a.m4s?") == "a.m4s?token=t")
        #expect(PlaylistQuery.appendingQuery("token=t", to: "a.m4s?x=1&") == "a.m4s?x=1&token=t")
        #expect(PlaylistQuery.appendingQuery("token=t", to: "a.m4s#f") == "a.m4s?token=t#f")
        #expect(PlaylistQuery.appendingQuery("token=t", to: "a.m4s?x#f") == "a.m4s?x&token=t#f")
        #expect(PlaylistQuery.appendingQuery("token=t", to: "../b/index.m3u8") == "../b/index.m3u8?token=t")
        #expect(PlaylistQuery.appendingQuery("token=t", to: "/hls/c/a.m4s") == "/hls/c/a.m4s?token=t")
        for absolute in ["http://cdn.example/a.m4s", "https://x/a?b", "//cdn.example/a.m4s", "skd://key", "data:text/plain,hi"] {
            #expect(PlaylistQuery.appendingQuery("token=t", to: Substring(absolute)) == absolute)
        }
    }

    @Test func lineEndingsAndOddLines() {
        #expect(PlaylistQuery.appending("token=t", to: "#EXTM3U\r\na.m4s\r\n") == "#EXTM3U\r\na.m4s?token=t\r\n")
        #expect(PlaylistQuery.appending("token=t", to: "# a comment, URI=\"x\"\n\n") == "# a comment, URI=\"x\"\n\n")
        // A quoted value that never closes is copied as it is.
        #expect(PlaylistQuery.appending("token=t", to: "#EXT-X-MAP:URI=\"init.mp4") == "#EXT-X-MAP:URI=\"init.mp4")
        // Only the attribute named URI, not one that merely ends so.
        #expect(PlaylistQuery.appending("token=t", to: "#EXT-X-DATERANGE:ID=\"a\",X-ASSET-URI=\"ad.m3u8\"")
            == "#EXT-X-DATERANGE:ID=\"a\",X-ASSET-URI=\"ad.m3u8\"")
    }
}
