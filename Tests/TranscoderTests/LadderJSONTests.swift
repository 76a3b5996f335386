import Foundation
import MediaCore
import Testing
@testable import Transcoder

@Suite struct LadderJSONTests {
    func decode(_ json: String) throws -> Ladder {
        try JSONDecoder().decode(Ladder.self, from: Data(json.utf8))
    }

    @Test func decodesTheDocumentedExample() throws {
        let ladder = try decode("""
            {
              "includeSource": false,
              "rungs": [
                { "name": "720p", "width": 1280, "height": 720, "videoBitrate": "2500k", "profile": "main" },
                { "name": "360p", "width": 640, "height": 360, "videoBitrate": "700k", "maxFrameRate": 30 }
              ],
              "audio": { "bitrate": "64k", "channels": 2 },
              "audioOnlyVariant": true
            }
            """)
        try ladder.validate()
        #expect(ladder == Ladder(
            includeSource: false,
            rungs: [
                LadderRung(name: "720p", width: 1280, height: 720, profile: "main", videoBitrate: 2_500_000),
                LadderRung(name: "360p", width: 640, height: 360, maxFrameRate: Rational(30, 1), videoBitrate: 700_000),
            ],
            audio: AudioEncoding(bitrate: 64_000, channels: 2),
            audioOnlyVariant: true))
        // Defaults: maxrate = bitrate, bufsize = 2 x bitrate, H.264 High, veryfast, zerolatency.
        let rung = ladder.rungs[1]
        #expect(rung.maxrate == 700_000 && rung.bufsize == 1_400_000)
        #expect(rung.codec == .h264 && rung.profile == "high" && rung.preset == "veryfast" && rung.tune == "zerolatency")
    }

    @Test func acceptsPlainIntegersAndFractionalFrameRates() throws {
        let ladder = try decode("""
            {"includeSource": true, "rungs": [{"name": "a", "width": 640, "height": 360, "videoBitrate": 800000,
              "maxrate": "1.2M", "bufsize": 1600000, "maxFrameRate": "30000/1001", "codec": "hevc", "tune": null}]}
            """)
        let rung = ladder.rungs[0]
        #expect(rung.videoBitrate == 800_000 && rung.maxrate == 1_200_000 && rung.bufsize == 1_600_000)
        #expect(rung.maxFrameRate == Rational(30000, 1001))
        #expect(rung.codec == .hevc && rung.profile == "main")
        #expect(rung.tune == nil)
        #expect(ladder.audio == nil && !ladder.audioOnlyVariant)
    }

    @Test func everyKeyOfTheLadderIsOptional() throws {
        #expect(try decode("{}") == Ladder(includeSource: false, rungs: []))
    }

    @Test(arguments: ["\"4m\"", "\"abc\"", "\"\"", "\"1.5\"", "\"k\"", "\"99999999999M\"", "2.5", "true"])
    func rejectsMalformedBitrates(_ value: String) {
        #expect(throws: DecodingError.self) {
            try decode(#"{"rungs": [{"name": "a", "width": 64, "height": 64, "videoBitrate": \#(value)}]}"#)
        }
    }

    @Test(arguments: ["29.97", "\"30/0\"", "\"0\"", "\"x\"", "-30"])
    func rejectsMalformedFrameRates(_ value: String) {
        #expect(throws: DecodingError.self) {
            try decode(#"{"rungs": [{"name": "a", "width": 64, "height": 64, "videoBitrate": 1, "maxFrameRate": \#(value)}]}"#)
        }
    }

    @Test(arguments: LadderPreset.allCases)
    func presetsSurviveAJSONRoundTrip(_ preset: LadderPreset) throws {
        let data = try JSONEncoder().encode(preset.ladder)
        #expect(try JSONDecoder().decode(Ladder.self, from: data) == preset.ladder)
    }

    @Test func encodesBitratesInTheirShortestExactForm() throws {
        let rung = LadderRung(name: "a", width: 64, height: 64, maxFrameRate: Rational(30000, 1001), videoBitrate: 2_500_000, tune: nil)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(rung)) as? [String: Any]
        #expect(object?["videoBitrate"] as? String == "2500k")
        #expect(object?["bufsize"] as? String == "5M")
        #expect(object?["maxFrameRate"] as? String == "30000/1001")
        #expect(object?["tune"] is NSNull)
    }
}

@Suite struct NotationTests {
    @Test func parsesBitrates() {
        #expect(BitrateNotation.parse("4M") == 4_000_000)
        #expect(BitrateNotation.parse("2.5M") == 2_500_000)
        #expect(BitrateNotation.parse("700k") == 700_000)
        #expect(BitrateNotation.parse("700K") == 700_000)
        #expect(BitrateNotation.parse("64000") == 64_000)
        #expect(BitrateNotation.parse("0.5k") == 500)
        #expect(BitrateNotation.parse("1.0000005M") == nil) // finer than 1 bit/s
        #expect(BitrateNotation.parse("10000M") == 10_000_000_000)
        #expect(BitrateNotation.parse("10001M") == nil)
        #expect(BitrateNotation.parse("-1") == nil)
        #expect(BitrateNotation.parse("4 M") == nil)
        #expect(BitrateNotation.parse("٤M") == nil) // non-ASCII digit
    }

    @Test func formatsBitrates() {
        #expect(BitrateNotation.format(4_000_000) == "4M")
        #expect(BitrateNotation.format(2_500_000) == "2500k")
        #expect(BitrateNotation.format(64_123) == "64123")
        #expect(BitrateNotation.format(0) == "0")
    }

    @Test func parsesAndFormatsFrameRates() {
        #expect(FrameRateNotation.parse("30") == Rational(30, 1))
        #expect(FrameRateNotation.parse("30000/1001") == Rational(30000, 1001))
        #expect(FrameRateNotation.parse("30/") == nil)
        #expect(FrameRateNotation.parse("1/2/3") == nil)
        #expect(FrameRateNotation.format(Rational(60000, 1001)) == "60000/1001")
        #expect(FrameRateNotation.format(Rational(25, 1)) == "25")
    }
}
