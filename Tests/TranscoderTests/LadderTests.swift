import Foundation
import MediaCore
import Testing
@testable import Transcoder

@Suite struct LadderPresetTests {
    @Test func passthroughOffersTheSourceOnly() throws {
        let ladder = LadderPreset.passthrough.ladder
        #expect(ladder.includeSource)
        #expect(ladder.rungs.isEmpty)
        #expect(ladder.audio == nil)
        #expect(!ladder.needsTranscoding(sourceHasAudio: true))
        try ladder.validate()
    }

    @Test func conferenceIsThreeHighProfileRungsWithAudioPassedThrough() throws {
        let ladder = LadderPreset.conference.ladder
        try ladder.validate()
        #expect(!ladder.includeSource)
        #expect(ladder.audio == nil)
        #expect(!ladder.audioOnlyVariant)
        #expect(ladder.rungs.map(\.name) == ["1080p", "720p", "540p"])
        #expect(ladder.rungs.map { "\($0.width)x\($0.height)" } == ["1920x1080", "1280x720", "960x540"])
        #expect(ladder.rungs.map(\.videoBitrate) == [4_000_000, 2_000_000, 1_000_000])
        for rung in ladder.rungs {
            #expect(rung.codec == .h264)
            #expect(rung.profile == "high")
            #expect(rung.maxrate == rung.videoBitrate)
            #expect(rung.bufsize == 2 * rung.videoBitrate)
            #expect(rung.preset == "veryfast")
            #expect(rung.tune == "zerolatency")
            #expect(rung.maxFrameRate == nil)
        }
    }

    @Test func mobileIsFourMainProfileRungsWithEncodedAudioAndAnAudioOnlyVariant() throws {
        let ladder = LadderPreset.mobile.ladder
        try ladder.validate()
        #expect(!ladder.includeSource)
        #expect(ladder.audio == AudioEncoding(bitrate: 64_000, channels: 2))
        #expect(ladder.audioOnlyVariant)
        #expect(ladder.rungs.map(\.name) == ["720p", "480p", "360p", "240p"])
        #expect(ladder.rungs.map { "\($0.width)x\($0.height)" } == ["1280x720", "854x480", "640x360", "426x240"])
        #expect(ladder.rungs.map(\.videoBitrate) == [2_500_000, 1_200_000, 700_000, 400_000])
        #expect(ladder.rungs.allSatisfy { $0.profile == "main" && $0.maxFrameRate == Rational(30, 1) })
    }

    @Test func presetsAreNamedByTheirRawValue() {
        #expect(LadderPreset.allCases.map(\.rawValue) == ["passthrough", "conference", "mobile"])
        #expect(LadderPreset(rawValue: "mobile") == .mobile)
    }
}

@Suite struct LadderValidationTests {
    func rung(_ name: String = "720p", width: Int = 1280, height: Int = 720, bitrate: Int = 2_000_000) -> LadderRung {
        LadderRung(name: name, width: width, height: height, videoBitrate: bitrate)
    }

    func error(_ ladder: Ladder) -> TranscoderError? {
        do {
            try ladder.validate()
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: ["", "720P", "a b", "x/y", "é", String(repeating: "a", count: 33), "../x"])
    func rejectsInvalidNames(_ name: String) {
        #expect(error(Ladder(includeSource: false, rungs: [rung(name)])) == .invalidRungName(name))
    }

    @Test(arguments: ["a", "720p", "hd_1-b", String(repeating: "z", count: 32)])
    func acceptsValidNames(_ name: String) {
        #expect(error(Ladder(includeSource: false, rungs: [rung(name)])) == nil)
    }

    @Test func rejectsReservedAndDuplicateNames() {
        #expect(error(Ladder(includeSource: false, rungs: [rung("source")])) == .reservedRungName("source"))
        #expect(error(Ladder(includeSource: false, rungs: [rung("audio")])) == .reservedRungName("audio"))
        #expect(error(Ladder(includeSource: false, rungs: [rung("a"), rung("b"), rung("a")])) == .duplicateRungName("a"))
    }

    @Test(arguments: [(1281, 720), (1280, 721), (14, 14), (7682, 720), (0, 0), (-2, 720)])
    func rejectsOddOrOutOfRangeSizes(_ size: (Int, Int)) {
        let ladder = Ladder(includeSource: false, rungs: [rung(width: size.0, height: size.1)])
        #expect(error(ladder) == .invalidDimensions(rung: "720p", width: size.0, height: size.1))
    }

    @Test func acceptsTheSizeBounds() {
        #expect(error(Ladder(includeSource: false, rungs: [rung(width: 16, height: 16)])) == nil)
        #expect(error(Ladder(includeSource: false, rungs: [rung(width: 7680, height: 4320)])) == nil)
    }

    @Test func rejectsBadBitrates() {
        #expect(error(Ladder(includeSource: false, rungs: [rung(bitrate: 0)]))
            == .invalidBitrate(rung: "720p", field: "videoBitrate", value: 0))
        var low = rung()
        low.maxrate = 1_000_000
        #expect(error(Ladder(includeSource: false, rungs: [low]))
            == .maxrateBelowBitrate(rung: "720p", videoBitrate: 2_000_000, maxrate: 1_000_000))
        var noBuffer = rung()
        noBuffer.bufsize = -1
        #expect(error(Ladder(includeSource: false, rungs: [noBuffer])) == .invalidBitrate(rung: "720p", field: "bufsize", value: -1))
        #expect(error(Ladder(includeSource: true, rungs: [], audio: AudioEncoding(bitrate: 0)))
            == .invalidBitrate(rung: "audio", field: "bitrate", value: 0))
    }

    @Test func rejectsBadChannelCountsAndFrameRates() {
        #expect(error(Ladder(includeSource: true, rungs: [], audio: AudioEncoding(bitrate: 64_000, channels: 0))) == .invalidChannelCount(0))
        #expect(error(Ladder(includeSource: true, rungs: [], audio: AudioEncoding(bitrate: 64_000, channels: 9))) == .invalidChannelCount(9))
        var capped = rung()
        capped.maxFrameRate = Rational(0, 1)
        #expect(error(Ladder(includeSource: false, rungs: [capped])) == .invalidFrameRate(rung: "720p"))
    }

    @Test func rejectsEncoderOptionsTheEncoderDoesNotKnow() {
        var rung = rung()
        rung.profile = "high10"
        #expect(error(Ladder(includeSource: false, rungs: [rung]))
            == .unsupportedEncoderOption(rung: "720p", option: "profile", value: "high10", allowed: ["baseline", "main", "high"]))
        rung.profile = "high"
        rung.preset = "turbo"
        guard case .unsupportedEncoderOption(_, "preset", "turbo", _)? = error(Ladder(includeSource: false, rungs: [rung])) else {
            Issue.record("preset not rejected")
            return
        }
        rung.preset = "fast"
        rung.codec = .hevc
        rung.tune = "film"
        guard case .unsupportedEncoderOption(_, "profile", "high", _)? = error(Ladder(includeSource: false, rungs: [rung])) else {
            Issue.record("HEVC with an H.264 profile not rejected")
            return
        }
        rung.profile = "main"
        #expect(error(Ladder(includeSource: false, rungs: [rung]))
            == .unsupportedEncoderOption(rung: "720p", option: "tune", value: "film", allowed: LadderCodec.hevc.tunes))
    }

    @Test func limitsTheRungCount() {
        let rungs = (0...Ladder.maximumRungCount).map { rung("r\($0)") }
        #expect(error(Ladder(includeSource: false, rungs: rungs)) == .tooManyRungs(count: 17, limit: 16))
        #expect(error(Ladder(includeSource: false, rungs: Array(rungs.dropLast()))) == nil)
    }

    @Test func rejectsALadderWithNothingToOffer() {
        #expect(error(Ladder(includeSource: false, rungs: [])) == .emptyLadder)
    }

    @Test func errorsDescribeTheProblem() {
        #expect(TranscoderError.invalidDimensions(rung: "x", width: 1281, height: 720).description
            == "rung \"x\": size 1281x720 must be even and within 16...7680")
        #expect(TranscoderError.tooManyRungs(count: 17, limit: 16).description == "17 rungs exceed the limit of 16")
    }
}
