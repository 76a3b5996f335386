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
}
