import Manifests
import MediaCore
import Testing
@testable import Delivery
@testable import Packager

/// Several audio languages: one `EXT-X-MEDIA` each in the audio group, the first the default
/// (RFC 8216bis §4.4.6.1), and one audio AdaptationSet each with its `lang` and a `Role`
/// (ISO/IEC 23009-1 §5.3.3.2, §5.8.5.5).
@Suite struct AudioLanguagesManifestTests {
    typealias Fixture = DASHBuilderTests

    static func audio(_ name: String, _ language: String?) -> RenditionSnapshot {
        var track = Fixture.audio
        track.language = language.flatMap { LanguageTag($0) }
        return Fixture.snapshot(name, track, Fixture.window[1].segments)
    }

    static let window = [Fixture.window[0], audio("audio", "eng"), audio("audio-fra", "fra"), audio("audio3", nil)]

    @Test func multivariantListsEveryLanguage() throws {
        let text = PlaylistBuilder.multivariant(Self.window)
        let media = text.split(separator: "\n").filter { $0.hasPrefix("#EXT-X-MEDIA:TYPE=AUDIO") }
        #expect(media == [
            #"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="en",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8""#,
            #"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="fr",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",URI="audio-fra/index.m3u8""#,
            #"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio3",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",URI="audio3/index.m3u8""#,
        ])
        let playlist = try MultivariantPlaylist.parse(text)
        #expect(playlist.variants.map(\.codecs) == [["avc1.64001f", "mp4a.40.2"]])
        #expect(playlist.variants.map(\.audioGroup) == ["audio"])
    }

    /// Two renditions of one language keep their own names: `NAME` is unique in a group, also
    /// when their inputs named the language with two codes (ISO 639-2/T and /B, ISO 639-1).
    @Test func namesStayUniqueInTheGroup() throws {
        let text = PlaylistBuilder.multivariant([Fixture.window[0], Self.audio("audio", "fra"), Self.audio("audio-fra", "fre")])
        let playlist = try MultivariantPlaylist.parse(text)
        #expect(playlist.renditions.map(\.name) == ["audio", "audio-fra"])
        #expect(playlist.renditions.map(\.language) == ["fr", "fr"])
        let mixed = PlaylistBuilder.multivariant([Fixture.window[0], Self.audio("audio", "fr"), Self.audio("audio-fra", "fra")])
        #expect(try MultivariantPlaylist.parse(mixed).renditions.map(\.name) == ["audio", "audio-fra"])
    }

    /// Manifests write ISO 639-1's two-letter code where the input gave ISO 639-2's (RFC 5646
    /// §2.2.1); a language without one is written as it came.
    @Test func languagesAreWrittenInTheirShortestCode() throws {
        let text = PlaylistBuilder.multivariant([Fixture.window[0], Self.audio("audio", "ger"), Self.audio("audio-yue", "yue")])
        #expect(try MultivariantPlaylist.parse(text).renditions.map(\.language) == ["de", "yue"])
    }

    /// One audio rendition, without a language, is listed as before.
    @Test func oneAudioIsUnchanged() {
        let text = PlaylistBuilder.multivariant(Fixture.window)
        #expect(text.contains(#"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8""#))
        let mpd = Fixture.manifest(Fixture.window).render()
        #expect(!mpd.contains("<Role") && !mpd.contains("lang="))
    }

    @Test func mpdHasAnAdaptationSetPerLanguage() throws {
        let manifest = Fixture.manifest(Self.window)
        let sets = try #require(manifest.periods.first).adaptationSets
        #expect(sets.map(\.contentType) == [.video, .audio, .audio, .audio])
        #expect(sets.map(\.id) == [0, 1, 2, 3])
        #expect(sets.map(\.language) == [nil, "en", "fr", nil])
        #expect(sets.map { $0.roles.map(\.value) } == [[], ["main"], ["alternate"], ["alternate"]])
        #expect(sets.map { $0.representations.map(\.id) } == [["720p"], ["audio"], ["audio-fra"], ["audio3"]])
        let text = manifest.render()
        #expect(text.contains(#"<AdaptationSet id="2" contentType="audio" mimeType="audio/mp4" lang="fr" segmentAlignment="true" startWithSAP="1">"#))
        #expect(text.contains(#"<Role schemeIdUri="urn:mpeg:dash:role:2011" value="main"/>"#))
    }
}
