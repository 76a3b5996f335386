import MediaCore
import Testing
import TestSupport
@testable import Manifests

/// Captions carried in the video, signalled in HLS (RFC 8216bis §4.4.6.1 `INSTREAM-ID`, §4.4.6.2
/// `CLOSED-CAPTIONS`) and DASH (ISO/IEC 23009-1 §5.8.4.3 `Accessibility`, SCTE 214-1 §7.2.3).
@Suite struct ClosedCaptionsSignallingTests {
    static let captioned = MultivariantPlaylist(
        version: 9, independentSegments: true,
        renditions: [
            .init(type: .closedCaptions, groupID: "cc", name: "English", language: "en", isDefault: true, autoselect: true, instreamID: "CC1"),
        ],
        variants: [
            .init(bandwidth: 1_000_000, codecs: ["avc1.64001f"], closedCaptions: .group("cc"), uri: "source/index.m3u8"),
        ])

    static let captionedText = """
        #EXTM3U
        #EXT-X-VERSION:9
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID="cc",NAME="English",LANGUAGE="en",INSTREAM-ID="CC1",DEFAULT=YES,AUTOSELECT=YES
        #EXT-X-STREAM-INF:BANDWIDTH=1000000,CODECS="avc1.64001f",CLOSED-CAPTIONS="cc"
        source/index.m3u8

        """

    @Test func rendersAndParsesACaptionsGroup() throws {
        #expect(Self.captioned.render() == Self.captionedText)
        #expect(try MultivariantPlaylist.parse(Self.captionedText) == Self.captioned)
    }

    @Test func rendersAndParsesNone() throws {
        var playlist = Self.captioned
        playlist.renditions = []
        playlist.variants[0].closedCaptions = .notCarried
        let text = playlist.render()
        #expect(text.contains("#EXT-X-STREAM-INF:BANDWIDTH=1000000,CODECS=\"avc1.64001f\",CLOSED-CAPTIONS=NONE\n"))
        #expect(try MultivariantPlaylist.parse(text) == playlist)
    }

    /// `CLOSED-CAPTIONS` is a quoted group or the enumerated `NONE`; nothing else.
    @Test func rejectsAnUnquotedGroup() {
        let text = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CLOSED-CAPTIONS=cc\nv.m3u8\n"
        #expect(throws: ManifestError.self) { try MultivariantPlaylist.parse(text) }
    }

    @Test func rendersAccessibilityOnTheVideoAdaptationSet() throws {
        var manifest = DASHManifestTests.manifest
        manifest.periods[0].adaptationSets[0].accessibility = [
            DASHManifest.Descriptor(schemeIdUri: DASHManifest.Descriptor.cea608Scheme, value: "CC1=eng"),
        ]
        let text = manifest.render()
        #expect(text.contains("<Accessibility schemeIdUri=\"urn:scte:dash:cc:cea-608:2015\" value=\"CC1=eng\"/>"))
        let mpd = try #require(XMLTree.parse(text))
        let sets = try #require(mpd.child("Period")).children(named: "AdaptationSet")
        #expect(sets.map { $0.children(named: "Accessibility").count } == [1, 0])
        // Schema order (§5.3.3.2): Accessibility before the Representations.
        #expect(sets[0].children.first?.name == "Accessibility")
    }
}
