import MediaCore
import Testing
@testable import Transcoder

@Suite struct LadderFittingTests {
    func sizes(_ ladder: Ladder) -> [String] {
        ladder.rungs.map { "\($0.name)=\($0.width)x\($0.height)" }
    }

    @Test func neverUpscales() {
        let fitted = LadderPreset.conference.ladder.fitted(to: VideoParameters(width: 1280, height: 720))
        #expect(sizes(fitted) == ["720p=1280x720", "540p=960x540"])
        #expect(!fitted.includeSource)
    }

    @Test func keepsARungOfExactlyTheSourceSize() {
        let fitted = LadderPreset.conference.ladder.fitted(to: VideoParameters(width: 1920, height: 1080))
        #expect(sizes(fitted) == ["1080p=1920x1080", "720p=1280x720", "540p=960x540"])
    }

    @Test func keepsHeightsAndFollowsTheSourceAspectRatio() {
        // 4:3: the 1080p rung is not an upscale once it has the source's width.
        #expect(sizes(LadderPreset.conference.ladder.fitted(to: VideoParameters(width: 1440, height: 1080)))
            == ["1080p=1440x1080", "720p=960x720", "540p=720x540"])
        // 21:9 (2560x1080): widths follow, rounded to even.
        #expect(sizes(LadderPreset.mobile.ladder.fitted(to: VideoParameters(width: 2560, height: 1080)))
            == ["720p=1706x720", "480p=1138x480", "360p=854x360", "240p=568x240"])
    }

    @Test func turnsRungsForAPortraitSource() {
        #expect(sizes(LadderPreset.mobile.ladder.fitted(to: VideoParameters(width: 720, height: 1280)))
            == ["720p=720x1280", "480p=480x854", "360p=360x640", "240p=240x426"])
    }

    @Test func neverExceedsAnOddSourceSide() {
        // 853x480: 480 * 853 / 480 = 853, rounded to even 854, clamped to 852.
        #expect(sizes(Ladder(includeSource: false, rungs: [LadderRung(name: "a", width: 854, height: 480, videoBitrate: 1)])
            .fitted(to: VideoParameters(width: 853, height: 480))) == ["a=852x480"])
    }

    @Test func keepsTheSourceWhenNoRungRemains() {
        let fitted = LadderPreset.conference.ladder.fitted(to: VideoParameters(width: 320, height: 180))
        #expect(fitted.rungs.isEmpty)
        #expect(fitted.includeSource)
        #expect(!fitted.needsTranscoding(sourceHasAudio: true))
    }

    @Test func dropsFrameRateCapsTheSourceAlreadyMeets() {
        let mobile = LadderPreset.mobile.ladder
        #expect(mobile.fitted(to: VideoParameters(width: 1280, height: 720, frameRate: Rational(60, 1)))
            .rungs.allSatisfy { $0.maxFrameRate == Rational(30, 1) })
        #expect(mobile.fitted(to: VideoParameters(width: 1280, height: 720, frameRate: Rational(30, 1)))
            .rungs.allSatisfy { $0.maxFrameRate == nil })
        #expect(mobile.fitted(to: VideoParameters(width: 1280, height: 720, frameRate: Rational(30000, 1001)))
            .rungs.allSatisfy { $0.maxFrameRate == nil })
        // Unknown rate: the cap stays, it drops only frames that come too fast.
        #expect(mobile.fitted(to: VideoParameters(width: 1280, height: 720, frameRate: nil))
            .rungs.allSatisfy { $0.maxFrameRate == Rational(30, 1) })
    }

    @Test func leavesTheLadderAloneForAnImplausibleSource() {
        let ladder = LadderPreset.conference.ladder
        #expect(ladder.fitted(to: VideoParameters(width: 0, height: 0)) == ladder)
        #expect(ladder.fitted(to: VideoParameters(width: Int.max, height: 1080)) == ladder)
    }

    @Test func fittedPresetsStayValid() throws {
        for preset in LadderPreset.allCases {
            for size in [(1920, 1080), (1280, 720), (720, 1280), (640, 480), (100, 100)] {
                try preset.ladder.fitted(to: VideoParameters(width: size.0, height: size.1)).validate()
            }
        }
    }
}
