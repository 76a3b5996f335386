import Testing
@testable import Restream

@Suite struct DestinationURLTests {
    @Test func appendsTheKeyAsTheLastPathSegmentForRTMP() throws {
        let youtube = try DestinationURL("rtmp://a.rtmp.youtube.com/live2", streamKey: "abcd-efgh-ijkl-mnop")
        #expect(youtube.target == "rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl-mnop")
        #expect(youtube.redacted == "rtmp://a.rtmp.youtube.com/live2/***")
        let twitch = try DestinationURL("rtmps://live.twitch.tv/app/", streamKey: "live_123_abc")
        #expect(twitch.target == "rtmps://live.twitch.tv/app/live_123_abc")
        #expect(twitch.scheme == .rtmps)
    }

    @Test func putsTheKeyWhereThePlaceholderSays() throws {
        let antenne = try DestinationURL("srt://10.0.0.2:9000?streamid=publish:{key}&latency=200000", streamKey: "sk_secret")
        #expect(antenne.target == "srt://10.0.0.2:9000?streamid=publish:sk_secret&latency=200000")
        #expect(antenne.redacted == "srt://10.0.0.2:9000?streamid=publish:***&latency=200000")
    }

    @Test func makesTheKeyTheStreamIDForSRTWithoutAPlaceholder() throws {
        let url = try DestinationURL("srt://host:9000?latency=120000", streamKey: "k1")
        #expect(url.target == "srt://host:9000?latency=120000&streamid=k1")
        #expect(try DestinationURL("srt://host:9000", streamKey: "k1").target == "srt://host:9000?streamid=k1")
    }

    @Test func aURLWithoutAKeyIsPushedAsItIs() throws {
        let url = try DestinationURL("rtmp://127.0.0.1:1935/live/stream", streamKey: nil)
        #expect(url.target == "rtmp://127.0.0.1:1935/live/stream")
        #expect(url.redacted == url.target)
        #expect(try DestinationURL("rtmp://h/app", streamKey: "").target == "rtmp://h/app")
    }

    @Test func redactsTheKeyAndThePassphraseInFFmpegsMessages() throws {
        let url = try DestinationURL("srt://h:9000?passphrase=longenoughpass&streamid={key}", streamKey: "sk_abc")
        let message = "Connection to srt://h:9000?passphrase=longenoughpass&streamid=sk_abc failed: Input/output error"
        let redacted = url.redact(message)
        #expect(redacted == "Connection to srt://h:9000?passphrase=***&streamid=*** failed: Input/output error")
        #expect(url.redacted == "srt://h:9000?passphrase=***&streamid=***")
        #expect(!redacted.contains("sk_abc") && !redacted.contains("longenoughpass"))
    }

    @Test func theDestinationsDescriptionNeverShowsTheKey() throws {
        let destination = RestreamDestination(
            id: .init(), url: try DestinationURL("rtmp://a.rtmp.youtube.com/live2", streamKey: "topsecret"), rendition: "720p")
        #expect("\(destination)" == "rtmp://a.rtmp.youtube.com/live2/*** (720p)")
        #expect(!String(reflecting: destination).contains("topsecret"))
        var dumped = ""
        dump(destination, to: &dumped)
        #expect(!dumped.contains("topsecret"))
        #expect(!"\(destination.url)".contains("topsecret"))
    }

    @Test(arguments: [
        "http://example.com/live", "example.com/live", "rtmp:///live", "rtmp://host/live with space",
        "rtmp://host/\u{7}", "rtmp://host/{key}",
    ])
    func rejectsURLsItCannotPushTo(_ url: String) {
        #expect(throws: RestreamError.self) { try DestinationURL(url, streamKey: nil) }
    }

    @Test(arguments: ["key with space", "a/b", "a?b", "a&b", "{x}", String(repeating: "k", count: 257), "é"])
    func rejectsKeysThatWouldChangeTheURL(_ key: String) {
        #expect(throws: RestreamError.self) { try DestinationURL("rtmp://host/app", streamKey: key) }
    }

    @Test func rejectsAnOverlongURL() {
        let url = "rtmp://host/" + String(repeating: "a", count: DestinationURL.maximumURLLength)
        #expect(throws: RestreamError.self) { try DestinationURL(url, streamKey: nil) }
    }
}
