import Manifests
import MediaCore
import Testing
@testable import Delivery
@testable import Packager

/// A channel whose video carries CEA-608 captions says so in its multivariant playlist
/// (RFC 8216bis §4.4.6.1-2) and its MPD (SCTE 214-1 §7.2.3); one without says `NONE`.
@Suite struct CaptionsSignallingTests {
    static func window(captions: Bool) -> [RenditionSnapshot] {
        var video = DASHBuilderTests.window[0]
        video.carriesCaptions = captions
        return [video, DASHBuilderTests.window[1]]
    }

    @Test func multivariantSignalsCC1() throws {
        let text = PlaylistBuilder.multivariant(Self.window(captions: true), audioOnlyVariant: true)
        #expect(text.contains(
            "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"English\",LANGUAGE=\"en\",INSTREAM-ID=\"CC1\",DEFAULT=YES,AUTOSELECT=YES\n"))
        let playlist = try MultivariantPlaylist.parse(text)
        // The video variant carries them; the audio-only variant does not say anything.
        #expect(playlist.variants.map(\.closedCaptions) == [.group("cc"), nil])
        #expect(playlist.renditions.filter { $0.type == .closedCaptions }.map(\.uri) == [nil])
    }

    @Test func multivariantSaysNoneOnEveryVariantWithout() throws {
        let text = PlaylistBuilder.multivariant(Self.window(captions: false), audioOnlyVariant: true)
        #expect(!text.contains("TYPE=CLOSED-CAPTIONS"))
        let playlist = try MultivariantPlaylist.parse(text)
        #expect(playlist.variants.map(\.closedCaptions) == [.notCarried, .notCarried])
    }

    /// A rendition no packager scanned (an edge's) says nothing: NONE would be a claim.
    @Test func multivariantSaysNothingWhenNotKnown() throws {
        var window = Self.window(captions: false)
        window[0].carriesCaptions = nil
        let playlist = try MultivariantPlaylist.parse(PlaylistBuilder.multivariant(window, audioOnlyVariant: true))
        #expect(playlist.variants.map(\.closedCaptions) == [nil, nil])
    }

    @Test func mpdSignalsCC1OnTheVideoAdaptationSet() {
        let sets = DASHBuilderTests.manifest(Self.window(captions: true)).periods[0].adaptationSets
        #expect(sets.map(\.contentType) == [.video, .audio])
        #expect(sets[0].accessibility == [DASHManifest.Descriptor(schemeIdUri: "urn:scte:dash:cc:cea-608:2015", value: "CC1=eng")])
        #expect(sets[1].accessibility.isEmpty)
        let plain = DASHBuilderTests.manifest(Self.window(captions: false)).periods[0].adaptationSets
        #expect(plain.allSatisfy { $0.accessibility.isEmpty })
    }
}
