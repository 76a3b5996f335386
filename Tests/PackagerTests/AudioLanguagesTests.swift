import Hub
import MediaCore
import NIOCore
import Testing
@testable import Packager

/// Several audio programmes in one source: a rendition each, named from the track alone (the same
/// on every origin), each following the video's boundaries with the same numbers.
@Suite struct AudioLanguagesTests {
    static func audio(_ language: String?) -> TrackInfo {
        var info = Media.audio
        info.language = language.flatMap { LanguageTag($0) }
        return info
    }

    @Test func everyAudioTrackIsARenditionFollowingTheVideo() throws {
        var driver = SessionsDriver()
        driver.send(.tracks([Media.video(), Self.audio("eng"), Self.audio("fra")]))
        var events: [HubEvent] = []
        for event in Media.interleaved(frames: 0..<183) {
            events.append(event)
            // The second programme carries the same frames as the first, on track 2.
            if case .sample(1, let sample) = event { events.append(.sample(track: 2, sample)) }
        }
        driver.send(events)
        #expect(driver.log.contains(#"list source ["source", "audio", "audio-fra"] hidden []"#))
        for name in ["audio", "audio-fra"] {
            #expect(driver.log(name, "open") == ["open \(name) 0 @0", "open \(name) 1 @96256", "open \(name) 2 @192512", "open \(name) 3 @288768"])
        }
        let languages = driver.actions.compactMap { action -> String? in
            guard case .begin(let name, let track, _) = action else { return nil }
            return "\(name)=\(track.language?.value ?? "-")"
        }
        #expect(languages == ["source=-", "audio=eng", "audio-fra=fra"])
    }

    @Test(arguments: [
        (["eng", "fra"], ["audio", "audio-fra"]),
        (["fra", "fra", "fra"], ["audio", "audio-fra", "audio2"]),
        ([nil, nil], ["audio", "audio2"]),
        ([nil, "pt-BR"], ["audio", "audio-pt-br"]),
        // `audio-` and a 35-character tag is longer than a rendition name may be.
        ([nil, "zh-Hant-CN-abcdefgh-12345678-x2345"], ["audio", "audio2"]),
    ] as [([String?], [String])])
    func names(languages: [String?], expected: [String]) {
        var taken: [String] = ["source"]
        for language in languages {
            taken.append(ChannelSessions.renditionName(for: Self.audio(language), taken: taken))
        }
        #expect(Array(taken.dropFirst()) == expected)
    }
}
