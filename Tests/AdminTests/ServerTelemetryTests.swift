@testable import Admin
import Archive
import Control
@testable import Delivery
import Foundation
import Hummingbird
import Hub
import Logging
import MediaCore
import NIOCore
import Observability
import Packager
import Testing

@Suite struct ServerTelemetryTests {
    /// A server's parts with channel `news` registered.
    struct Parts {
        let hub = Hub()
        let packagers = PackagerRegistry()
        let audience = PlaybackAudience(window: .seconds(4))
        let reports = ViewerReports()
        let metrics: PlaybackMetrics
        let telemetry: ServerTelemetry

        init(srtLink: @escaping @Sendable (String, InputRole) -> SRTLinkStatus? = { _, _ in nil }) {
            metrics = PlaybackMetrics(registry: MetricsExposition(collectors: []).registry, audience: audience)
            packagers.register(ChannelPackager(channel: hub.channel(named: "news"), configuration: PackagerConfiguration(), now: { 0 }))
            let archive = ArchiveWriter(
                store: DiskArchiveStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("unused-archive")),
                logger: Logger(label: "test"))
            telemetry = ServerTelemetry(sources: ServerTelemetry.Sources(
                hub: hub, packagers: packagers, audience: audience, reports: reports, transcoders: { [] }, archive: archive,
                dataDirectory: FileManager.default.temporaryDirectory.path, swarmPeers: { $0 == "news" ? 3 : 0 }, srtLink: srtLink))
        }

        func answer(_ status: HTTPResponse.Status, channel: String = "news") {
            metrics.responded(PlaybackEvent(
                method: .get, kind: .part, status: status, bytes: 100, duration: .milliseconds(1), channel: channel,
                rendition: "720p", client: "192.0.2.1", userAgent: "player"))
        }
    }

    static let video = TrackInfo(
        codec: .h264, timescale: 90_000, decoderConfig: [1], codecString: "avc1.64001f",
        video: VideoParameters(width: 1280, height: 720))

    /// 30 fps with a key frame every 2 s (60 frames), each frame `size` bytes, for `seconds`.
    static func publish(_ publisher: HubPublisher, seconds: Int, size: Int = 1_000) {
        publisher.send(.tracks([video]))
        for frame in 0..<(seconds * 30) {
            publisher.send(.sample(track: 0, Sample(
                dts: Int64(frame) * 3_000, isSync: frame % 60 == 0, data: ByteBuffer(repeating: 0, count: size))))
        }
    }

    /// The live figures are the encoder's, from the hub: codec and size from its tracks; bitrate,
    /// frame rate and key-frame interval over its last key-frame intervals.
    @Test func liveFiguresComeFromTheEncoder() async throws {
        let parts = Parts()
        var status = await parts.telemetry.live(channel: "news")
        #expect(!status.live)
        #expect(status.bitrate == nil)
        let publisher = try #require(parts.hub.channel(named: "news").acquirePublisher())
        Self.publish(publisher, seconds: 9)
        parts.answer(.ok)
        status = await parts.telemetry.live(channel: "news")
        #expect(status.live)
        #expect(status.videoCodec == "avc1.64001f")
        #expect(status.audioCodec == nil)
        #expect(status.width == 1280 && status.height == 720)
        // Four whole intervals (key frames at 0, 2, 4, 6, 8 s): 60 frames of 8,000 bits each per 2 s.
        #expect(status.keyFrameInterval == 2)
        #expect(status.framesPerSecond == 30)
        #expect(status.bitrate == 240_000)
        #expect(status.viewers == 1)
        #expect(await parts.telemetry.live(channel: "other") == LiveStatus(live: false))
    }

    /// The input the channel follows and its switches: none before a publish, the backup once the
    /// primary has gone, none again once no input is left, the count kept.
    @Test func theActiveInputAndItsSwitches() async throws {
        let parts = Parts()
        var status = await parts.telemetry.live(channel: "news")
        #expect(status.input == nil && status.inputSwitches == 0)
        let channel = parts.hub.channel(named: "news")
        let primary = try #require(channel.acquirePublisher(role: .primary))
        let backup = try #require(channel.acquirePublisher(role: .backup))
        Self.publish(primary, seconds: 1)
        Self.publish(backup, seconds: 1)
        #expect(await parts.telemetry.live(channel: "news").input == .primary)
        primary.finish()
        backup.send(.sample(track: 0, Sample(dts: 90_000, isSync: true, data: ByteBuffer(bytes: [0]))))
        status = await parts.telemetry.live(channel: "news")
        #expect(status.input == .backup)
        #expect(status.inputSwitches == 1)
        backup.finish()
        status = await parts.telemetry.live(channel: "news")
        #expect(status.input == nil && status.inputSwitches == 1)
    }

    /// The SRT link shown is the one of the input the channel follows: none while the primary
    /// (not SRT here) is followed, the backup's once it takes over, none once offline.
    @Test func theSRTLinkIsTheActiveInputs() async throws {
        let link = SRTLinkStatus(
            rttMilliseconds: 20, packetsReceived: 500, packetsLost: 2, packetsRetransmitted: 1, receiveBitrate: 1_000_000,
            latencyMilliseconds: 200)
        let parts = Parts(srtLink: { channel, input in channel == "news" && input == .backup ? link : nil })
        #expect(await parts.telemetry.live(channel: "news").srt == nil)
        let channel = parts.hub.channel(named: "news")
        let primary = try #require(channel.acquirePublisher(role: .primary))
        let backup = try #require(channel.acquirePublisher(role: .backup))
        Self.publish(primary, seconds: 1)
        Self.publish(backup, seconds: 1)
        #expect(await parts.telemetry.live(channel: "news").srt == nil)
        primary.finish()
        backup.send(.sample(track: 0, Sample(dts: 90_000, isSync: true, data: ByteBuffer(bytes: [0]))))
        #expect(await parts.telemetry.live(channel: "news").srt == link)
        backup.finish()
        #expect(await parts.telemetry.live(channel: "news").srt == nil)
    }

    /// P2P figures: the tracker's peers now, and the share of bytes from peers over the last
    /// interval, from P2P players' reports; none without them.
    @Test func p2pFiguresAreTheSwarmsPeersAndTheLastIntervalsOffload() async throws {
        let parts = Parts()
        parts.telemetry.sample()
        var status = await parts.telemetry.live(channel: "news")
        #expect(status.p2pPeers == 3)
        #expect(status.p2pOffload == nil)
        parts.reports.record(ViewerReport(channel: "news", httpBytes: 1_000, peerBytes: 9_000))
        parts.telemetry.sample()
        status = await parts.telemetry.live(channel: "news")
        #expect(status.p2pOffload == 0.9)
        // The next interval's bytes alone.
        parts.reports.record(ViewerReport(channel: "news", httpBytes: 3_000, peerBytes: 1_000))
        parts.telemetry.sample()
        #expect(await parts.telemetry.live(channel: "news").p2pOffload == 0.25)
        // An interval without reports has no figure.
        parts.telemetry.sample()
        #expect(await parts.telemetry.live(channel: "news").p2pOffload == nil)
    }

    /// Each sample holds the bitrate then, the viewers then, and the errors since the previous one.
    @Test func samplesCountErrorsSinceThePreviousSample() async throws {
        let parts = Parts()
        parts.telemetry.sample(at: Date(timeIntervalSince1970: 10))
        parts.answer(.notFound)
        parts.answer(.notFound)
        parts.answer(.serviceUnavailable)
        parts.answer(.notModified)
        parts.answer(.notFound, channel: "unknown")
        let publisher = try #require(parts.hub.channel(named: "news").acquirePublisher())
        Self.publish(publisher, seconds: 5)
        parts.answer(.ok)
        parts.telemetry.sample(at: Date(timeIntervalSince1970: 20))
        parts.telemetry.sample(at: Date(timeIntervalSince1970: 30))
        let history = await parts.telemetry.history(channel: "news")
        #expect(history.intervalSeconds == 10)
        #expect(history.samples.map(\.at.timeIntervalSince1970) == [10, 20, 30])
        #expect(history.samples.map(\.errors) == [0, 3, 0])
        #expect(history.samples.map(\.viewers) == [0, 1, 1])
        #expect(history.samples.map(\.bitrate) == [nil, 240_000, 240_000])
        #expect(await parts.telemetry.history(channel: "unknown").samples.isEmpty)
    }

    /// An hour of samples is kept, no more; a channel that is removed loses its history.
    @Test func historyIsBoundedAndForgetsRemovedChannels() async {
        let parts = Parts()
        #expect(parts.telemetry.capacity == 360)
        for n in 0..<400 { parts.telemetry.sample(at: Date(timeIntervalSince1970: Double(n))) }
        let samples = await parts.telemetry.history(channel: "news").samples
        #expect(samples.count == 360)
        #expect(samples.first?.at == Date(timeIntervalSince1970: 40))
        parts.packagers.unregister(named: "news")
        parts.telemetry.sample()
        #expect(await parts.telemetry.history(channel: "news").samples.isEmpty)
    }

    /// CPU is a rate between two samples; memory and disk are read from the host.
    @Test func serverFigures() async throws {
        let parts = Parts()
        #expect(await parts.telemetry.server().cpu == nil)
        let start = ContinuousClock.now
        parts.telemetry.sample(now: start)
        // Busy until the process's CPU time has moved on from what the first sample read.
        let first = try #require(ProcessFigures.cpuSeconds())
        var spin = 0.0
        while (ProcessFigures.cpuSeconds() ?? 0) <= first {
            for n in 0..<100_000 { spin += Double(n).squareRoot() }
        }
        #expect(spin > 0)
        parts.telemetry.sample(now: start + .seconds(1))
        let status = await parts.telemetry.server()
        #expect((status.cpu ?? 0) > 0)
        #expect((status.memoryBytes ?? 0) > 1_000_000)
        #expect((status.memoryTotalBytes ?? 0) > (status.memoryBytes ?? 0))
        #expect((status.diskBytes ?? 0) >= (status.diskFreeBytes ?? -1))
        #expect(status.archive == ServerStatus.ArchiveHealth())
        #expect(status.transcoders.isEmpty)
        #expect(status.liveChannels == 0)
    }
}
