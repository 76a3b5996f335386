import MediaCore
import Testing
@testable import Containers

/// Cut points on synthetic tracks: 30 fps video with a key frame every 30 frames and a 3000-tick
/// composition delay, 48 kHz AAC frames, both from time 0.
@Suite struct ClipCutTests {
    static let video = MP4ClipLayoutTests.samples(count: 300, size: 10, duration: 3000, perSegment: 60,
                                                  sync: { $0 % 30 == 0 }, offset: { _ in 3000 })
    static let audio = MP4ClipLayoutTests.samples(count: 470, size: 10, duration: 1024, perSegment: 94)

    static func seconds(_ s: Int64) -> MediaTime { MediaTime(ticks: s, timescale: 1) }

    @Test func cutsOnKeyFramesAroundTheRequest() {
        let cut = ClipCut.select(video: Self.video[...], videoTimescale: 90_000, audio: Self.audio[...], audioTimescale: 48_000,
                                 start: MediaTime(ticks: 2_500, timescale: 1_000), end: MediaTime(ticks: 5_500, timescale: 1_000))
        #expect(cut.video == 60..<180)  // key frames presented at 2.033 s and 6.033 s
        // Audio frames starting in [2.033 s, 6.033 s): 1024 × 96 = 2.048 s onwards.
        #expect(cut.audio == 96..<283)
    }

    @Test func requestsOutsideTheArchiveClampToIt() {
        let before = ClipCut.select(video: Self.video[...], videoTimescale: 90_000, audio: Self.audio[...], audioTimescale: 48_000,
                                    start: Self.seconds(-10), end: Self.seconds(1))
        #expect(before.video == 0..<30)
        let after = ClipCut.select(video: Self.video[...], videoTimescale: 90_000, audio: Self.audio[...], audioTimescale: 48_000,
                                   start: Self.seconds(9), end: Self.seconds(100))
        #expect(after.video == 240..<300)  // frame 270 is presented at 9.033 s, after the start
        // A slice keeps the array's indices.
        let slice = ClipCut.select(video: Self.video[100...], videoTimescale: 90_000, audio: Self.audio[...], audioTimescale: 48_000,
                                   start: Self.seconds(0), end: Self.seconds(5))
        #expect(slice.video == 120..<150)
    }

    @Test func withoutKeyFramesNothingIsChosen() {
        let noKey = Self.video.map { var s = $0; s.isSync = false; return s }
        let cut = ClipCut.select(video: noKey[...], videoTimescale: 90_000, audio: Self.audio[...], audioTimescale: 48_000,
                                 start: Self.seconds(0), end: Self.seconds(5))
        #expect(cut.video.isEmpty && cut.audio.isEmpty)
    }

    @Test func audioOnlyCutsByTime() {
        // Frames overlapping [1 s, 2 s): frame 46 ends at 48 128 > 48 000; frame 94 starts at 96 256.
        #expect(ClipCut.selectAudio(Self.audio[...], timescale: 48_000, start: Self.seconds(1), end: Self.seconds(2)) == 46..<94)
        #expect(ClipCut.selectAudio(Self.audio[...], timescale: 48_000, start: Self.seconds(20), end: Self.seconds(30)).isEmpty)
    }
}
