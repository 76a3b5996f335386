import Foundation
import Hub
import Logging
import MediaCore
import NIOCore
import NIOPosix
import Testing
@testable import Restream

@Suite struct DestinationPusherTests {
    /// A destination FFmpeg cannot reach: the push is retried, and what FFmpeg said (which quotes
    /// the URL, key included) is kept and logged with the key masked.
    @Test(.timeLimit(.minutes(1)))
    func aFailingPushIsRetriedAndItsErrorHasTheKeyMasked() async throws {
        let ffmpeg = try fakeFFmpeg(printing: "rtmp://127.0.0.1:1/live/sk_TOPSECRET: Connection refused", status: 1)
        defer { try? FileManager.default.removeItem(atPath: ffmpeg) }
        let hub = Hub()
        let channel = hub.channel(named: "main")
        let destination = RestreamDestination(id: UUID(), url: try DestinationURL("rtmp://127.0.0.1:1/live", streamKey: "sk_TOPSECRET"))
        let pusher = DestinationPusher(
            destination: destination, channel: "main", source: channel, ffmpeg: ffmpeg,
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test"))
        let run = Task { await pusher.run() }
        defer { run.cancel() }
        #expect(pusher.status.state == .idle)

        let publisher = try #require(channel.acquirePublisher())
        publisher.send(.tracks([h264Track(), aacTrack()]))
        var dts: Int64 = 0
        let deadline = ContinuousClock.now + .seconds(20)
        while pusher.status.starts < 2, ContinuousClock.now < deadline {
            publisher.send(.sample(track: 0, Sample(dts: dts, isSync: true, data: ByteBuffer(bytes: [0, 0, 0, 2, 0x65, 0x88]))))
            dts += 3_000
            try await Task.sleep(for: .milliseconds(50))
        }
        let status = pusher.status
        #expect(status.restarts >= 1)
        #expect(status.starts >= 2)
        #expect(status.lastError == "rtmp://127.0.0.1:1/live/***: Connection refused")
        #expect(status.bytesSent == 0)

        publisher.finish()
        let idle = ContinuousClock.now + .seconds(10)
        while pusher.status.state != .idle, ContinuousClock.now < idle {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(pusher.status.state == .idle)
    }

    /// A destination that takes nothing: FFmpeg's stdin backs up to its bound, then samples are
    /// dropped and counted; the publisher never waits and the hub never cuts the reader off.
    @Test(.timeLimit(.minutes(1)))
    func aStuckDestinationDropsAndCountsAndNeverSlowsThePublisher() async throws {
        let ffmpeg = try stuckFFmpeg()
        defer { try? FileManager.default.removeItem(atPath: ffmpeg) }
        let hub = Hub()
        let channel = hub.channel(named: "main")
        let pusher = DestinationPusher(
            destination: RestreamDestination(id: UUID(), url: try DestinationURL("rtmp://127.0.0.1:1/live", streamKey: "k")),
            channel: "main", source: channel, ffmpeg: ffmpeg,
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test"))
        let run = Task { await pusher.run() }
        defer { run.cancel() }

        let publisher = try #require(channel.acquirePublisher())
        publisher.send(.tracks([h264Track(), aacTrack()]))
        // 1 MiB key frames: 40 of them are more than the 16 MiB FFmpeg may fall behind.
        var frame = ByteBuffer(bytes: [0, 0x10, 0, 0, 0x65])
        frame.writeRepeatingByte(0x88, count: 1_048_576 - 1)
        let deadline = ContinuousClock.now + .seconds(30)
        var slowest: Duration = .zero
        var dts: Int64 = 0
        while pusher.status.droppedSamples == 0, ContinuousClock.now < deadline {
            let sent = ContinuousClock.now
            publisher.send(.sample(track: 0, Sample(dts: dts, isSync: true, data: frame)))
            slowest = max(slowest, ContinuousClock.now - sent)
            dts += 3_000
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(pusher.status.droppedSamples > 0)
        #expect(pusher.status.state == .connecting)
        #expect(pusher.status.bytesSent == 0)
        #expect(slowest < .milliseconds(200), "the publisher waited \(slowest)")
        #expect(channel.statistics.readersDisconnected == 0)
    }
}
