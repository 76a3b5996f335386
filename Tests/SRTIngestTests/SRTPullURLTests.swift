import Testing
@testable import SRTIngest

/// `srt://HOST:PORT?streamid=…&passphrase=…&latency=…`: what a pull URL may say, and the limits
/// that refuse the rest without repeating its secrets.
@Suite struct SRTPullURLTests {
    @Test func theOptionsArePercentDecodedAndTheLatencyIsInMilliseconds() throws {
        let url = try SRTPullURL(parsing: "srt://192.0.2.10:9001?streamid=%23!::r=live/cam1,m=request&passphrase=a-passphrase-1&latency=300&mode=caller")
        #expect(url == SRTPullURL(
            host: "192.0.2.10", port: 9001, streamID: "#!::r=live/cam1,m=request", passphrase: "a-passphrase-1", latencyMilliseconds: 300))
        #expect(url.description == "srt://192.0.2.10:9001")
        #expect(try SRTPullURL(parsing: "srt://127.0.0.1:9000") == SRTPullURL(host: "127.0.0.1", port: 9000))
        #expect(try SRTPullURL(parsing: "SRT://127.0.0.1:9000/?latency=0").latencyMilliseconds == 0)
        let v6 = try SRTPullURL(parsing: "srt://[::1]:9000?streamid=cam%201")
        #expect(v6.host == "::1" && v6.streamID == "cam 1")
        #expect(v6.description == "srt://[::1]:9000")
    }

    @Test(arguments: [
        ("rtmp://127.0.0.1:1935/live", SRTPullURL.Refusal.notSRT),
        ("srt://127.0.0.1:9000#x", .badPort),
        ("srt://encoder.example.net:9000", .badHost),
        ("srt://::1:9000", .badHost),
        ("srt://[127.0.0.1]:9000", .badHost),
        ("srt://127.0.0.1", .badPort),
        ("srt://127.0.0.1:0", .badPort),
        ("srt://127.0.0.1:65536", .badPort),
        ("srt://127.0.0.1:9000?latency=60001", .badOption("latency")),
        ("srt://127.0.0.1:9000?latency=-1", .badOption("latency")),
        ("srt://127.0.0.1:9000?latency=0.5", .badOption("latency")),
        ("srt://127.0.0.1:9000?latency=1&latency=2", .badOption("latency")),
        ("srt://127.0.0.1:9000?passphrase=short", .badOption("passphrase")),
        ("srt://127.0.0.1:9000?streamid=", .badOption("streamid")),
        ("srt://127.0.0.1:9000?streamid=%zz", .badOption("streamid")),
        ("srt://127.0.0.1:9000?streamid=a%0Ab", .badOption("streamid")),
        ("srt://127.0.0.1:9000?passphrase", .badOption("passphrase")),
        ("srt://127.0.0.1:9000?pbkeylen=16", .unknownOption),
        ("srt://127.0.0.1:9000?mode=listener", .notCaller),
    ])
    func refused(text: String, refusal: SRTPullURL.Refusal) {
        #expect(throws: refusal) { try SRTPullURL(parsing: text) }
    }

    @Test func theLimitsAreSRTsOwn() throws {
        let longest = String(repeating: "s", count: SRTStreamID.maximumLength)
        #expect(try SRTPullURL(parsing: "srt://127.0.0.1:9000?streamid=\(longest)").streamID == longest)
        #expect(throws: SRTPullURL.Refusal.badOption("streamid")) { try SRTPullURL(parsing: "srt://127.0.0.1:9000?streamid=\(longest)s") }
        let tooLong = "srt://127.0.0.1:9000?streamid=" + String(repeating: "%41", count: 700)
        #expect(throws: SRTPullURL.Refusal.tooLong(bytes: tooLong.utf8.count)) { try SRTPullURL(parsing: tooLong) }
        #expect(try SRTPullURL(parsing: "srt://127.0.0.1:9000?passphrase=" + String(repeating: "p", count: 79)).passphrase?.count == 79)
    }

    /// A refusal never repeats the URL: its passphrase and stream id are secrets.
    @Test func aRefusalDoesNotShowTheSecrets() {
        #expect { try SRTPullURL(parsing: "srt://127.0.0.1:9000?passphrase=the-secret-phrase&extra=1") } throws: { error in
            !"\(error)".contains("the-secret-phrase")
        }
        #expect { try SRTPullURL(parsing: "srt://127.0.0.1:9000?the-secret-phrase") } throws: { error in
            !"\(error)".contains("the-secret-phrase")
        }
    }
}
