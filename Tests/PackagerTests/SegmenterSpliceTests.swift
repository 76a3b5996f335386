import MediaCore
import Testing
@testable import Packager

/// Splice points (ad and programme markers): the leader cuts on the first key frame at or after
/// each, so the break starts a segment of its own.
@Suite struct SegmenterSpliceTests {
    let config = PackagerConfiguration()

    /// 30 fps, a key frame every second, 2 s segments: `splices` (90 kHz) asked for before
    /// frame `at`.
    func opened(splices: [Int64], at frameIndex: Int = 0, frames: Int = 30 * 6 + 1) -> [(msn: Int, start: Int64)] {
        var segmenter = Segmenter(timescale: 90_000, role: .leader, configuration: config, defaultDuration: 3_000)
        var log = SegmentLog()
        for i in 0..<frames {
            if i == frameIndex { splices.forEach { segmenter.splice(at: $0) } }
            log.record(segmenter.append(frame(Int64(i) * 3_000, sync: i % 30 == 0)))
        }
        return log.opened
    }

    @Test func cutsOnTheFirstKeyFrameAtOrAfterTheSplice() {
        // 2.5 s: the key frame at 3 s starts a segment between the grid's at 2 s and 4 s.
        let opened = opened(splices: [225_000])
        #expect(opened.map(\.start) == [0, 180_000, 270_000, 360_000, 540_000])
        #expect(opened.map(\.msn) == [0, 1, 2, 3, 4])
    }

    @Test func aSpliceOnAKeyFrameCutsThere() {
        #expect(opened(splices: [90_000]).map(\.start) == [0, 90_000, 180_000, 360_000, 540_000])
    }

    @Test func aSpliceOnTheGridAddsNoSegment() {
        #expect(opened(splices: [180_000]).map(\.start) == [0, 180_000, 360_000, 540_000])
    }

    /// A splice asked for after its time (an API call late for its own date) cuts on the next key
    /// frame.
    @Test func aSplicePassedCutsOnTheNextKeyFrame() {
        #expect(opened(splices: [30_000], at: 70).map(\.start) == [0, 180_000, 270_000, 360_000, 540_000])
    }

    /// An ad break's start and its return both start segments.
    @Test func cutsOnBothEndsOfABreak() {
        #expect(opened(splices: [60_000, 240_000]).map(\.start) == [0, 90_000, 180_000, 270_000, 360_000, 540_000])
    }

    @Test func aFollowerIgnoresSplices() {
        var segmenter = Segmenter(timescale: 90_000, role: .follower, configuration: config, defaultDuration: 3_000, isVideo: true)
        segmenter.splice(at: 0)
        var log = SegmentLog()
        for i in 0..<60 { log.record(segmenter.append(frame(Int64(i) * 3_000, sync: i % 30 == 0))) }
        #expect(log.opened.isEmpty)
    }
}
