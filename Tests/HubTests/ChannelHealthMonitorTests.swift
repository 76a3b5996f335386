import Hub
import MediaCore
import NIOCore
import Testing

/// Control plane, webhooks (issue "Control plane": `channel.unhealthy`, no video for N seconds or
/// a collapsed bitrate): the detector, on simulated time.
@Suite struct ChannelHealthMonitorTests {
    typealias Action = ChannelHealthMonitor.Action

    static let video = TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: [1, 0x64, 0, 0x1f], codecString: "avc1.64001f",
                                 video: VideoParameters(width: 640, height: 360))
    static let audio = TrackInfo(codec: .aac, timescale: 48_000, decoderConfig: [0x11, 0x90], codecString: "mp4a.40.2")

    /// A publish session on simulated time, in milliseconds: video at 30 fps (a frame every
    /// 33 ms), audio every 20 ms, and the owner's tick every 500 ms.
    struct Session {
        var monitor: ChannelHealthMonitor
        let t0 = ContinuousClock.now
        /// The next millisecond to simulate.
        var time: Int64 = 0
        var actions: [(ms: Int64, action: Action)] = []

        init(_ configuration: ChannelHealthMonitor.Configuration = .init(), tracks: [TrackInfo] = [video, audio]) {
            monitor = ChannelHealthMonitor(configuration: configuration)
            receive(.tracks(tracks))
        }

        func at(_ ms: Int64) -> ContinuousClock.Instant { t0 + .milliseconds(ms) }

        mutating func receive(_ event: HubEvent) {
            record(monitor.receive(event, at: at(time)))
        }

        mutating func record(_ new: [Action]) {
            actions += new.map { (time, $0) }
        }

        /// Runs until `seconds`, with video frames of `videoBytes` (none when nil) and audio.
        mutating func run(until seconds: Int64, videoBytes: Int?, audio: Bool = true) {
            let end = seconds * 1_000
            while time < end {
                if let videoBytes, time % 33 == 0 {
                    receive(.sample(track: 0, Sample(dts: time * 90, isSync: time % 2_000 == 0, data: ByteBuffer(repeating: 0, count: videoBytes))))
                }
                if audio, time % 20 == 0 {
                    receive(.sample(track: 1, Sample(dts: time * 48, isSync: true, data: ByteBuffer(repeating: 0, count: 200))))
                }
                if time % 500 == 0 { record(monitor.tick(at: at(time))) }
                time += 1
            }
        }
    }

    @Test func videoThatStopsIsReportedOnceAfterTheTimeoutAndTheNextFrameRecovers() {
        var session = Session()
        session.run(until: 3, videoBytes: 2_000)
        #expect(session.actions.isEmpty)
        // The last frame came at 2.97 s; audio keeps the publisher busy.
        session.run(until: 20, videoBytes: nil)
        #expect(session.actions.map(\.action) == [.noVideo(for: .milliseconds(5_010))])
        #expect(session.actions.first?.ms == 7_980, "caught by the first event past the timeout")
        #expect(session.monitor.episode?.reason == .noVideo)
        session.run(until: 21, videoBytes: 2_000)
        #expect(session.actions.map(\.action).last == .recovered(from: .noVideo, after: .milliseconds(17_061)))
        #expect(session.actions.count == 2)
        #expect(session.monitor.episode == nil)
    }

    @Test func aPublisherThatSendsNothingIsCaughtByTheTick() {
        var monitor = ChannelHealthMonitor()
        let t0 = ContinuousClock.now
        #expect(monitor.receive(.tracks([Self.video]), at: t0) == [])
        #expect(monitor.tick(at: t0 + .milliseconds(4_999)) == [])
        #expect(monitor.tick(at: t0 + .seconds(5)) == [.noVideo(for: .seconds(5))])
        #expect(monitor.tick(at: t0 + .seconds(6)) == [], "once per episode")
        #expect(monitor.tick(at: t0 + .seconds(60)) == [])
    }

    @Test func theTimeoutIsConfigurable() {
        var session = Session(.init(noVideoTimeout: .seconds(2)))
        session.run(until: 1, videoBytes: 500)
        session.run(until: 4, videoBytes: nil)
        #expect(session.actions.map(\.ms) == [3_000])
    }

    @Test func anAudioOnlySessionIsHealthy() {
        var session = Session(tracks: [Self.audio])
        session.run(until: 60, videoBytes: nil)
        #expect(session.actions.isEmpty)
        #expect(session.monitor.isWatching)
    }

    @Test func aCollapsedBitrateIsReportedOnceWithItsFigures() throws {
        var session = Session()
        session.run(until: 40, videoBytes: 1_000)
        #expect(session.actions.isEmpty)
        // 5 % of the bitrate, frames still flowing.
        session.run(until: 60, videoBytes: 50)
        let first = try #require(session.actions.first)
        #expect(session.actions.count == 1)
        #expect(first.ms > 40_000 && first.ms <= 45_500, "within the window after the drop: \(first.ms)")
        guard case .bitrateCollapsed(let measured, let average) = first.action else {
            Issue.record("expected a collapse, got \(first.action)")
            return
        }
        // 1 000 bytes at 30.3 fps is 242 kbit/s; 50 bytes, 12 kbit/s.
        #expect((240_000...245_000).contains(average), "\(average)")
        #expect(measured * 10 < average)
        #expect(session.monitor.episode?.reason == .bitrateCollapse)
    }

    @Test func aCollapseEndsOnlyAboveTheRecoveryThreshold() throws {
        var session = Session()
        session.run(until: 40, videoBytes: 1_000)
        session.run(until: 50, videoBytes: 50)
        #expect(session.actions.count == 1)
        // 30 %: no longer collapsed, not yet recovered; no flapping.
        session.run(until: 70, videoBytes: 300)
        #expect(session.actions.count == 1)
        session.run(until: 80, videoBytes: 900)
        #expect(session.actions.count == 2)
        let last = try #require(session.actions.last)
        guard case .recovered(.bitrateCollapse, let after) = last.action else {
            Issue.record("expected a recovery, got \(last.action)")
            return
        }
        #expect(last.ms > 70_000 && last.ms <= 74_000)
        #expect(after > .seconds(25) && after < .seconds(40), "\(after)")
    }

    /// The average leaves out the collapsed seconds, so a long collapse stays one episode.
    @Test func aLongCollapseDoesNotLowerTheAverageItIsJudgedAgainst() {
        var session = Session()
        session.run(until: 40, videoBytes: 1_000)
        session.run(until: 400, videoBytes: 50)
        #expect(session.actions.count == 1)
    }

    @Test func noBitrateVerdictDuringTheWarmUp() {
        var session = Session()
        session.run(until: 10, videoBytes: 5_000)
        session.run(until: 24, videoBytes: 50)
        #expect(session.actions.isEmpty)
    }

    /// A stall leaves seconds without frames in the window: it is reported as no video, never as
    /// a collapse, also once the video is back.
    @Test func aStallIsNoVideoNotACollapse() {
        var session = Session()
        session.run(until: 40, videoBytes: 1_000)
        session.run(until: 47, videoBytes: nil)
        session.run(until: 70, videoBytes: 1_000)
        #expect(session.actions.map(\.action) == [.noVideo(for: .milliseconds(5_004)), .recovered(from: .noVideo, after: .milliseconds(7_029))])
        // A short stall, under the timeout, is nothing at all.
        session.run(until: 73, videoBytes: nil)
        session.run(until: 100, videoBytes: 1_000)
        #expect(session.actions.count == 2)
    }

    @Test func theEndOfTheSessionClosesAnEpisodeSilently() {
        var session = Session()
        session.run(until: 2, videoBytes: 1_000)
        session.run(until: 10, videoBytes: nil)
        #expect(session.actions.count == 1)
        session.receive(.end)
        #expect(!session.monitor.isWatching)
        #expect(session.monitor.episode == nil)
        session.run(until: 30, videoBytes: nil, audio: false)
        #expect(session.actions.count == 1, "nothing is watched between sessions")
        // The next session starts with a clean slate.
        session.receive(.tracks([Self.video, Self.audio]))
        session.run(until: 34, videoBytes: nil)
        #expect(session.actions.count == 1)
        session.run(until: 36, videoBytes: nil)
        #expect(session.actions.map(\.ms).last == 35_000)
    }

    @Test func videoAddedByACodecChangeIsWatchedFromThen() {
        var session = Session(tracks: [Self.audio])
        session.run(until: 10, videoBytes: nil)
        session.receive(.tracks([Self.video, Self.audio]))
        session.run(until: 14, videoBytes: nil)
        #expect(session.actions.isEmpty)
        session.run(until: 16, videoBytes: nil)
        #expect(session.actions.map(\.action) == [.noVideo(for: .seconds(5))])
    }
}
