@testable import Edge
import Manifests
import MediaCore
import Foundation
import Testing

@Suite("Renditions read from an origin's multivariant playlist")
struct RenditionHintsTests {
    static let ladder = """
        #EXTM3U
        #EXT-X-VERSION:9
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8?token=abc"
        #EXT-X-STREAM-INF:BANDWIDTH=3000000,AVERAGE-BANDWIDTH=2500000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=30.000,AUDIO="audio"
        720p/index.m3u8?token=abc
        #EXT-X-STREAM-INF:BANDWIDTH=1000000,AVERAGE-BANDWIDTH=800000,CODECS="avc1.4d401e,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=29.970,AUDIO="audio"
        360p/index.m3u8?token=abc
        #EXT-X-STREAM-INF:BANDWIDTH=130000,AVERAGE-BANDWIDTH=128000,CODECS="mp4a.40.2",AUDIO="audio"
        audio/index.m3u8?token=abc

        """

    @Test("video variants in order, then audio, and whether audio alone is a variant")
    func ladder() throws {
        let (renditions, audioOnly) = try RenditionHints.renditions(of: MultivariantPlaylist.parse(Self.ladder))
        #expect(renditions.map(\.name) == ["720p", "360p", "audio"])
        #expect(renditions.map(\.codecs) == ["avc1.64001f", "avc1.4d401e", "mp4a.40.2"])
        #expect(renditions[1].resolution == MultivariantPlaylist.Resolution(width: 640, height: 360))
        #expect(renditions[1].frameRate == Rational(29_970, 1_000))
        #expect(renditions[2].channels == 2)
        #expect(renditions[2].mediaType == .audio)
        #expect(audioOnly)
    }

    @Test("captions are what the origin's variant says: its group's channels, NONE, or nothing")
    func captions() throws {
        let captioned = Self.ladder
            .replacingOccurrences(of: "#EXT-X-INDEPENDENT-SEGMENTS\n",
                                  with: "#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"English\",LANGUAGE=\"en\",INSTREAM-ID=\"CC1\"\n"
                                      + "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"SERVICE3\",INSTREAM-ID=\"SERVICE3\"\n"
                                      + "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"other\",NAME=\"CC2\",INSTREAM-ID=\"CC2\"\n")
            .replacingOccurrences(of: "RESOLUTION=1280x720,", with: "RESOLUTION=1280x720,CLOSED-CAPTIONS=\"cc\",")
            .replacingOccurrences(of: "RESOLUTION=640x360,", with: "RESOLUTION=640x360,CLOSED-CAPTIONS=NONE,")
        let (renditions, _) = try RenditionHints.renditions(of: MultivariantPlaylist.parse(captioned))
        #expect(renditions.map { $0.captions?.instreamIDs } == [["CC1", "SERVICE3"], [], nil])
        let (plain, _) = try RenditionHints.renditions(of: MultivariantPlaylist.parse(Self.ladder))
        #expect(plain.map(\.captions) == [nil, nil, nil])
    }

    @Test("every audio language of the origin's group, with its language; a tag that is not one is left out")
    func languages() throws {
        let languages = Self.ladder
            .replacingOccurrences(of: #"NAME="audio",DEFAULT=YES"#, with: #"NAME="eng",LANGUAGE="eng",DEFAULT=YES"#)
            .replacingOccurrences(of: "#EXT-X-STREAM-INF:BANDWIDTH=3000000", with: """
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="fra",LANGUAGE="fra",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",URI="audio-fra/index.m3u8"
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="x",LANGUAGE="not a tag",DEFAULT=NO,AUTOSELECT=YES,URI="audio2/index.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=3000000
                """)
        let (renditions, _) = try RenditionHints.renditions(of: MultivariantPlaylist.parse(languages))
        #expect(renditions.map(\.name) == ["720p", "360p", "audio", "audio-fra", "audio2"])
        #expect(renditions.map(\.language?.value) == [nil, nil, "eng", "fra", nil])
    }

    @Test("a rendition URI that is not a name of this server's is refused", arguments: [
        "../other/index.m3u8", "http://elsewhere/x/index.m3u8", "a/b/index.m3u8", "720p/playlist.m3u8", "/index.m3u8",
    ])
    func refusesForeignURIs(_ uri: String) {
        #expect(throws: EdgeError.self) { try RenditionHints.renditionName(uri) }
    }

    @Test("codecs name the codec of the sample entry", arguments: [
        ("avc1.64001f", Codec.h264), ("hvc1.1.6.L93.B0", .hevc), ("av01.0.04M.08", .av1), ("mp4a.40.2", .aac), ("Opus", .opus),
    ])
    func codecs(_ text: String, _ codec: Codec) {
        #expect(RenditionHints.codec(text) == codec)
    }
}
