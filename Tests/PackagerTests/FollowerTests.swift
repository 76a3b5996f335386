import MediaCore
import NIOCore
import Testing
@testable import Packager

/// A transcoded rendition follows the source video's boundaries (issue 3: aligned renditions).
@Suite struct VideoFollowerTests {
    let config = PackagerConfiguration()

    /// Announces each leader boundary to the follower, as the channel packager does.
    func leaderActions(_ leader: inout Segmenter, _ sample: Sample, follower: inout Segmenter) -> [Segmenter.Action] {
        let actions = leader.append(sample)
        for case .segmentOpened(let msn, _, let pts) in actions { follower.leaderOpened(msn: msn, start: pts) }
        return actions
    }

    /// The source has B-frames (DTS two frames behind PTS); the transcoded rendition has none, so
    /// its DTS differ, but its key frames carry the same presentation times. It starts 3 s late.
    @Test func cutsOnTheSourceBoundariesByPresentationTime() {
        var leader = Segmenter(timescale: 90_000, role: .leader, configuration: config, defaultDuration: 3_000, isVideo: true)
        var follower = Segmenter(timescale: 90_000, role: .follower, configuration: config, defaultDuration: 3_000, isVideo: true)
        var leaderLog = SegmentLog()
        var followerLog = SegmentLog()
        var followerPTS: [Int: Int64] = [:]
        for i in 0..<(30 * 9) {
            let pts = Int64(i) * 3_000 + 6_000
            leaderLog.record(leaderActions(&leader, frame(pts - 6_000, sync: i % 60 == 0, cto: 6_000), follower: &follower))
            // The transcoder's output arrives later and starts mid-segment, at t = 3 s.
            if i >= 90 {
                let actions = follower.append(frame(pts, sync: i % 60 == 0 || i == 90))
                for case .segmentOpened(let msn, _, let start) in actions { followerPTS[msn] = start }
                followerLog.record(actions)
            }
        }
        #expect(leaderLog.opened.map(\.msn) == [0, 1, 2, 3, 4])
        // The key frame at 3 s is not on a boundary: the follower waits for segment 2 at 4 s.
        #expect(followerLog.opened.map(\.msn) == [2, 3, 4])
        #expect(followerPTS == [2: 366_000, 3: 546_000, 4: 726_000])
        #expect(followerLog.closed.map(\.msn) == [2, 3])
    }

    /// A key frame the transcoder was asked for but did not make: the follower cuts at the next
    /// key frame and takes the newest boundary's number, leaving the skipped one for a gap.
    @Test func aMissingKeyFrameSkipsToTheNewestBoundary() {
        var follower = Segmenter(timescale: 90_000, role: .follower, configuration: config, defaultDuration: 3_000, isVideo: true)
        var log = SegmentLog()
        follower.leaderOpened(msn: 0, start: 0)
        log.record(follower.append(frame(0, sync: true)))
        follower.leaderOpened(msn: 1, start: 180_000)
        for i in 1..<60 { log.record(follower.append(frame(Int64(i) * 3_000))) }
        log.record(follower.append(frame(180_000)))  // should have been a key frame
        follower.leaderOpened(msn: 2, start: 360_000)
        for i in 61..<120 { log.record(follower.append(frame(Int64(i) * 3_000))) }
        log.record(follower.append(frame(360_000, sync: true)))
        #expect(log.opened.map(\.msn) == [0, 2])
        #expect(log.closed.map(\.msn) == [0])
    }
}
