import Manifests
import MediaCore
import Testing
@testable import Delivery
@testable import Packager

/// A channel whose video carries CEA-608 or CEA-708 captions says so in its multivariant playlist
/// (RFC 8216bis §4.4.6.1-2) and its MPD (SCTE 214-1 §7.2.3), channel by channel; one without says
/// `NONE`.
@Suite struct CaptionsSignallingTests {
    static func window(_ ids: [String]) -> [RenditionSnapshot] {
        var video = DASHBuilderTests.window[0]
        video.captions = CaptionChannels(instreamIDs: ids)
        return [video, DASHBuilderTests.window[1]]
    }

    static func window(captions: Bool) -> [RenditionSnapshot] { window(captions ? ["CC1"] : []) }

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
        window[0].captions = nil
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

    /// Every channel is a rendition of the group, the first the default; only CC1 says a language.
    @Test func multivariantListsEveryChannel() throws {
        let text = PlaylistBuilder.multivariant(Self.window(["CC1", "CC3", "SERVICE2"]))
        #expect(text.split(separator: "\n").filter { $0.contains("TYPE=CLOSED-CAPTIONS") } == [
            #"#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID="cc",NAME="English",LANGUAGE="en",INSTREAM-ID="CC1",DEFAULT=YES,AUTOSELECT=YES"#,
            #"#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID="cc",NAME="CC3",INSTREAM-ID="CC3",DEFAULT=NO,AUTOSELECT=YES"#,
            #"#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID="cc",NAME="SERVICE2",INSTREAM-ID="SERVICE2",DEFAULT=NO,AUTOSELECT=YES"#,
        ])
        let playlist = try MultivariantPlaylist.parse(text)
        #expect(playlist.variants.map(\.closedCaptions) == [.group("cc")])
        // Without CC1, the first channel is the default.
        let service = try MultivariantPlaylist.parse(PlaylistBuilder.multivariant(Self.window(["SERVICE1"])))
        #expect(service.renditions.filter { $0.type == .closedCaptions }.map { "\($0.instreamID ?? "-") \($0.isDefault)" } == ["SERVICE1 true"])
    }

    @Test func mpdDescribesEveryChannel() {
        let sets = DASHBuilderTests.manifest(Self.window(["CC1", "CC3", "SERVICE1", "SERVICE10"])).periods[0].adaptationSets
        #expect(sets[0].accessibility == [
            DASHManifest.Descriptor(schemeIdUri: "urn:scte:dash:cc:cea-608:2015", value: "CC1=eng;CC3=und"),
            DASHManifest.Descriptor(schemeIdUri: "urn:scte:dash:cc:cea-708:2015", value: "1=lang:und;10=lang:und"),
        ])
        let only708 = DASHBuilderTests.manifest(Self.window(["SERVICE1"])).periods[0].adaptationSets
        #expect(only708[0].accessibility == [DASHManifest.Descriptor(schemeIdUri: "urn:scte:dash:cc:cea-708:2015", value: "1=lang:und")])
    }
}
