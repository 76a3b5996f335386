import Delivery
import Foundation
import Hub
import Hummingbird
import Logging
import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import Packager
import TestSupport

/// An Antenne origin in the test process: one channel packaged from synthetic samples (H.264-
/// labelled video at 30 fps with a key frame every 2 s, AAC-labelled audio at 48 kHz), served by
/// the playback routes on a loopback port. Two origins fed the same seconds hold the same numbers
/// and bytes, as origins fed one stream do.
final class TestOrigin: Sendable {
    let name: String
    let port: Int
    let packager: ChannelPackager
    /// Playback responses the origin wrote, by kind.
    let responses = ResponseCounter()
    /// Whether the channel has P2P on: the origin then lists its digests
    /// (`/p2p/{channel}/{rendition}/digests.json`), as an Antenne origin's tracker does.
    let p2p = NIOLockedValueBox(false)
    private let publisher: HubPublisher
    private let channel: HubChannel
    private let packaging: Task<Void, Never>
    private let serving: Task<Void, any Error>
    private let gate = ConnectionGate()

    /// Frozen wall clock of the packager, Unix epoch milliseconds: equal bytes on every origin.
    static let now: Int64 = 1_700_000_000_000

    var url: String { "http://127.0.0.1:\(port)" }

    init(channel name: String, access: PlaybackAccess = .open, protection: ContentProtection = .none, seconds: Int = 8,
         configuration: PackagerConfiguration = PackagerConfiguration()) async throws {
        let hub = Hub()
        let channel = hub.channel(named: name)
        let registry = PackagerRegistry()
        let packager = ChannelPackager(channel: channel, configuration: configuration, now: { Self.now })
        registry.register(packager)
        guard let publisher = channel.acquirePublisher() else { throw TestFailure("channel already published") }
        let port = try FreePort.loopback()
        let routes = PlaybackRoutes(packagers: registry, access: access, observer: responses, protection: protection, now: TestClock.now)
        let gate = self.gate
        let router = Router()
        router.get("p2p/:channel/:rendition/digests.json") { [p2p] _, _ in
            Response(status: p2p.withLockedValue { $0 } ? .ok : .notFound, body: .init(byteBuffer: ByteBuffer(string: #"{"objects":{}}"#)))
        }
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [gate.handler(), routes.channelHandler(serverName: "Antenne")])),
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            logger: Logger(label: "origin") { _ in SwiftLogNoOpLogHandler() })
        self.name = name
        self.port = port
        self.packager = packager
        self.publisher = publisher
        self.channel = channel
        self.packaging = Task { await packager.run() }
        self.serving = Task { try await app.runService(gracefulShutdownSignals: []) }
        let video = TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: [1, 0x64, 0, 0x1F, 0xFF, 0xE0, 0, 0xF0],
                              codecString: "avc1.64001f", video: VideoParameters(width: 640, height: 360, frameRate: Rational(30, 1)))
        let audio = TrackInfo(codec: .aac, timescale: 48_000, decoderConfig: [0x11, 0x90], codecString: "mp4a.40.2",
                              audio: AudioParameters(sampleRate: 48_000, channelCount: 2, samplesPerFrame: 1_024))
        publisher.send(.tracks([video, audio]))
        guard try await settle({ packager.renditions.count == 2 }) else { throw TestFailure("the packager did not pick up the tracks") }
        try await feed(seconds: 0..<seconds)
        try await HTTP.waitForPort(port)
    }

    /// Sends the media of `seconds` of the channel's timeline: a frame every 1/30 s, a key frame
    /// every 2 s, and the audio frames that start before each video frame.
    func feed(seconds: Range<Int>) async throws {
        let firstFrame = seconds.lowerBound * 30
        var audioIndex = firstFrame == 0 ? 0 : Int((Int64(firstFrame - 1) * 3_000 * 48_000) / (1_024 * 90_000)) + 1
        for frame in firstFrame..<(seconds.upperBound * 30) {
            let dts = Int64(frame) * 3_000
            while Int64(audioIndex) * 1_024 * 90_000 / 48_000 <= dts {
                publisher.send(.sample(track: 1, Sample(dts: Int64(audioIndex) * 1_024, isSync: true, data: ByteBuffer(bytes: [0x21, 0x10, UInt8(audioIndex % 256)]))))
                audioIndex += 1
            }
            publisher.send(.sample(track: 0, Sample(dts: dts, isSync: frame % 60 == 0, data: ByteBuffer(bytes: [0, 0, 0, 1, 0x65, UInt8(frame % 256)]))))
            if frame % 30 == 0 { try await Task.sleep(for: .milliseconds(2)) }
        }
        // The packager cuts on its own task: a test that compares an edge with this origin next
        // must see everything sent, up to the segment that ends at the upper bound (key frames
        // every 2 s): its last video part, and the audio part before its last (which stays open
        // until the next audio frame says where it ends).
        let msn = seconds.upperBound / 2 - 1
        let lastIndex = Int(2_000 / packager.configuration.partTarget.milliseconds) - 1
        let reached = { @Sendable (rendition: LiveRendition) -> Bool in
            guard let part = rendition.snapshot()?.lastPart else { return false }
            return (part.msn, part.index) >= (msn, rendition.name == "audio" ? lastIndex - 1 : lastIndex)
        }
        guard try await settle({ packager.renditions.allSatisfy(reached) }) else {
            let parts = packager.renditions.map { "\($0.name) \(String(describing: $0.snapshot()?.lastPart))" }
            throw TestFailure("the packager did not cut what was sent up to \(seconds.upperBound) s: \(parts)")
        }
    }

    /// Posts a marker on the channel, as the control API or the encoder's cues do: the packager
    /// places it on the first segment it opens at or after its start.
    func mark(_ marker: ChannelMarker) -> Bool {
        channel.markers.post(marker)
    }

    /// Turns every connection away (as a crashed origin would); the packager goes on.
    func stopServing() {
        gate.close()
    }

    /// Ends the channel and turns connections away. The server itself runs on, idle, until the
    /// test process ends (see ``ConnectionGate``).
    func stop() {
        publisher.finish()
        gate.close()
        packaging.cancel()
    }
}

/// Counts playback responses by kind and status.
final class ResponseCounter: PlaybackObserver {
    private let counts = NIOLockedValueBox([PlaybackRouteKind: Int]())

    func responded(_ event: PlaybackEvent) {
        counts.withLockedValue { $0[event.kind, default: 0] += 1 }
    }

    func count(_ kind: PlaybackRouteKind) -> Int { counts.withLockedValue { $0[kind] ?? 0 } }
}

enum TestClock {
    /// The real wall clock, Unix epoch milliseconds: tokens expire by it.
    @Sendable static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000) }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` for up to 20 s: generous, for a machine busy with other builds.
func settle(_ condition: () -> Bool, within timeout: Duration = .seconds(60)) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
    return condition()
}
