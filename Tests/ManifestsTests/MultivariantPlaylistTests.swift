import MediaCore
import Testing
@testable import Manifests

@Suite struct MultivariantPlaylistTests {
    @Test func rendersAudioGroupAndAudioOnlyVariant() {
        #expect(Fixtures.multivariant.render() == Fixtures.multivariantText)
    }

    @Test func roundTrips() throws {
        let parsed = try MultivariantPlaylist.parse(Fixtures.multivariantText)
        #expect(parsed.render() == Fixtures.multivariantText)
        #expect(parsed.renditions == Fixtures.multivariant.renditions)
        #expect(parsed.variants[0].frameRate == Rational(29_970, 1_000))
        #expect(parsed.variants[2].codecs == ["mp4a.40.2"])
        #expect(parsed.variants[2].resolution == nil)
    }

    /// The shape of Apple's bipbop example and ffmpeg's `master_pl_name` output: CRLF, comments,
    /// attributes we ignore, an I-frame playlist, and a rendition without URI.
    @Test func parsesForeignPlaylist() throws {
        let text = "#EXTM3U\r\n# comment\r\n#EXT-X-VERSION:3\r\n"
            + "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"bipbop_audio\",LANGUAGE=\"eng\",NAME=\"BipBop Audio 1\",AUTOSELECT=YES,DEFAULT=YES\r\n"
            + "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English\",DEFAULT=YES,AUTOSELECT=YES,FORCED=NO,LANGUAGE=\"en\",CHARACTERISTICS=\"public.accessibility.transcribes-spoken-dialog\",URI=\"subtitles/eng/prog_index.m3u8\"\r\n"
            + "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=28451,CODECS=\"avc1.4d400d\",URI=\"gear1/iframe_index.m3u8\"\r\n"
            + "#EXT-X-STREAM-INF:BANDWIDTH=263851,CODECS=\"mp4a.40.2, avc1.4d400d\",RESOLUTION=416x234,AUDIO=\"bipbop_audio\",SUBTITLES=\"subs\",CLOSED-CAPTIONS=NONE\r\n"
            + "gear1/prog_index.m3u8\r\n"
        let parsed = try MultivariantPlaylist.parse(text)
        #expect(parsed.version == 3)
        #expect(parsed.renditions.count == 2)
        #expect(parsed.renditions[0].uri == nil)
        #expect(parsed.renditions[0].isDefault)
        #expect(parsed.renditions[1].type == .subtitles)
        #expect(parsed.variants == [
            .init(bandwidth: 263_851, codecs: ["mp4a.40.2", "avc1.4d400d"], resolution: .init(width: 416, height: 234),
                  audioGroup: "bipbop_audio", closedCaptions: .notCarried, uri: "gear1/prog_index.m3u8"),
        ])
    }

    @Test(arguments: [
        ("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n", ManifestError.Kind.unpairedTag("EXT-X-STREAM-INF")),
        ("#EXTM3U\nvideo.m3u8\n", .unpairedTag("EXT-X-STREAM-INF")),
        ("#EXTM3U\n#EXT-X-STREAM-INF:CODECS=\"avc1\"\nv.m3u8\n", .missingAttribute(tag: "EXT-X-STREAM-INF", attribute: "BANDWIDTH")),
        ("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=1280\nv.m3u8\n", .invalidValue(tag: "EXT-X-STREAM-INF", attribute: "RESOLUTION")),
        ("#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,NAME=\"a\"\n", .missingAttribute(tag: "EXT-X-MEDIA", attribute: "GROUP-ID")),
        ("#EXTM3U\n#EXT-X-MEDIA:TYPE=SOUND,GROUP-ID=\"a\",NAME=\"a\"\n", .invalidValue(tag: "EXT-X-MEDIA", attribute: "TYPE")),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\ns.ts\n", .wrongPlaylistKind),
        ("#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n", .missingHeader),
    ])
    func rejectsMalformed(text: String, kind: ManifestError.Kind) {
        #expect(throws: ManifestError.self) { try MultivariantPlaylist.parse(text) }
        do {
            _ = try MultivariantPlaylist.parse(text)
        } catch {
            #expect(error.kind == kind)
        }
    }

    @Test func limitsStreamCount() throws {
        var text = "#EXTM3U\n"
        for index in 0..<5 { text += "#EXT-X-STREAM-INF:BANDWIDTH=\(index + 1)\n\(index).m3u8\n" }
        _ = try MultivariantPlaylist.parse(text, limits: PlaylistLimits(maxStreams: 5))
        let error = #expect(throws: ManifestError.self) {
            try MultivariantPlaylist.parse(text, limits: PlaylistLimits(maxStreams: 4))
        }
        #expect(error?.kind == .limitExceeded(limit: "maxStreams", maximum: 4))
        #expect(error?.line == 10)
    }

    @Test(.bug("fuzz hls-multivariant: CODECS=\" ,,\" read as one empty codec, written back as CODECS=\"\", then read as none"))
    func emptyCodecEntriesNameNoCodec() throws {
        let text = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=900001,CODECS=\" ,,\"\nv.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"avc1.64001f, ,mp4a.40.2\"\nw.m3u8\n"
        let playlist = try MultivariantPlaylist.parse(text)
        #expect(playlist.variants.map(\.codecs) == [[], ["avc1.64001f", "mp4a.40.2"]])
        let rendered = playlist.render()
        #expect(try MultivariantPlaylist.parse(rendered).render() == rendered)
    }
}
