import Archive
import Control
import Delivery
import Foundation
import Hub
import MediaCore
import NIOConcurrencyHelpers
import Observability
import Packager
import ServiceLifecycle
import Transcoder

/// What the back-office and the monitoring routes of the API show (``ChannelTelemetry``), read
/// from the running server's parts: the hub's ingest meters and tracks, the playback audience,
/// the players' reports, the transcoders, the archive writer and the host.
///
/// As a `Service` it samples every channel every ``interval`` into a ring of the last hour
/// (``TelemetryRing``), and the process's CPU time, which is a rate between two samples.
public final class ServerTelemetry: ChannelTelemetry, Service {
    /// The parts read.
    public struct Sources: Sendable {
        public var hub: Hub
        public var packagers: PackagerRegistry
        public var audience: PlaybackAudience
        public var reports: ViewerReports
        public var transcoders: @Sendable () -> [ChannelTranscoder]
        public var archive: ArchiveWriter
        /// The data directory, whose filesystem is reported.
        public var dataDirectory: String
        /// Players in a channel's P2P swarms now, all renditions (the tracker's).
        public var swarmPeers: @Sendable (String) -> Int
        /// The SRT link of a channel's input, when an SRT publish or pull feeds that input (SRT
        /// ingest's statistics).
        public var srtLink: @Sendable (_ channel: String, _ input: InputRole) -> SRTLinkStatus?

        public init(
            hub: Hub, packagers: PackagerRegistry, audience: PlaybackAudience, reports: ViewerReports,
            transcoders: @escaping @Sendable () -> [ChannelTranscoder], archive: ArchiveWriter, dataDirectory: String,
            swarmPeers: @escaping @Sendable (String) -> Int = { _ in 0 },
            srtLink: @escaping @Sendable (_ channel: String, _ input: InputRole) -> SRTLinkStatus? = { _, _ in nil }
        ) {
            self.hub = hub
            self.packagers = packagers
            self.audience = audience
            self.reports = reports
            self.transcoders = transcoders
            self.archive = archive
            self.dataDirectory = dataDirectory
            self.swarmPeers = swarmPeers
            self.srtLink = srtLink
        }
    }

    /// Ten seconds: a graph of the last hour has 360 points, and the audience window (two segment
    /// targets, 4 s by default) is shorter, so each sample counts who watched just then.
    public static let defaultInterval: Duration = .seconds(10)
    /// One hour of samples, what the channel page graphs.
    public static let historySpan: Duration = .seconds(3_600)

    let sources: Sources
    let interval: Duration
    private let started = ContinuousClock.now
    private let state = NIOLockedValueBox(State())

    private struct State {
        var rings: [String: TelemetryRing] = [:]
        /// Each channel's cumulative playback errors at the last sample.
        var errors: [String: Int64] = [:]
        /// Each channel's players' latency reports at the last sample: their sum and count.
        var latencyReports: [String: (sum: Double, count: Int)] = [:]
        /// Each channel's average reported latency over the last interval; absent without reports.
        var latency: [String: Double] = [:]
        /// Each channel's players' HTTP and peer bytes at the last sample.
        var bytesReported: [String: (http: Int, peer: Int)] = [:]
        /// Each channel's share of bytes from peers over the last interval; absent without P2P players' reports.
        var offload: [String: Double] = [:]
        var cpuSeconds: Double?
        var cpuSampledAt: ContinuousClock.Instant?
        var cpu: Double?
    }

    public init(sources: Sources, interval: Duration = ServerTelemetry.defaultInterval) {
        self.sources = sources
        self.interval = interval
    }

    var capacity: Int { Int(Self.historySpan / interval) }

    public func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            while !Task.isCancelled {
                sample()
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return  // cancelled: the server stops
                }
            }
        }
    }

    /// Takes one sample of every channel and of the process.
    func sample(at date: Date = Date(), now: ContinuousClock.Instant = .now) {
        let names = Set(sources.packagers.all.map(\.name))
        let audience = sources.audience.snapshot(channels: names)
        let reports = sources.reports.snapshot
        let cpuSeconds = ProcessFigures.cpuSeconds()
        let bitrates = Dictionary(uniqueKeysWithValues: names.map { ($0, bitrate(of: $0)) })
        state.withLockedValue { state in
            state.rings = state.rings.filter { names.contains($0.key) }
            state.errors = state.errors.filter { names.contains($0.key) }
            state.latency = [:]
            state.offload = [:]
            for name in names {
                let errors = audience.errors[name] ?? 0
                let sample = TelemetryHistory.Sample(
                    at: date, bitrate: bitrates[name] ?? nil, viewers: audience.channelViewers[name] ?? 0,
                    errors: Int(max(0, errors - (state.errors[name] ?? 0))))
                state.errors[name] = errors
                state.rings[name, default: TelemetryRing(capacity: capacity)].append(sample)
                let counts: (sum: Double, count: Int) = reports[name].map { ($0.latencySum, $0.latencyReports) } ?? (0, 0)
                if let last = state.latencyReports[name], counts.count > last.count {
                    state.latency[name] = (counts.sum - last.sum) / Double(counts.count - last.count)
                }
                state.latencyReports[name] = counts
                let bytes: (http: Int, peer: Int) = reports[name].map { ($0.httpBytes, $0.peerBytes) } ?? (0, 0)
                // Only P2P players report HTTP and peer bytes (quality.js).
                if let last = state.bytesReported[name] {
                    let (http, peer) = (Double(max(0, bytes.http - last.http)), Double(max(0, bytes.peer - last.peer)))
                    if http + peer > 0 { state.offload[name] = peer / (http + peer) }
                }
                state.bytesReported[name] = bytes
            }
            state.latencyReports = state.latencyReports.filter { names.contains($0.key) }
            state.bytesReported = state.bytesReported.filter { names.contains($0.key) }
            if let cpuSeconds, let last = state.cpuSeconds, let at = state.cpuSampledAt {
                let elapsed = Double((now - at).components.seconds) + Double((now - at).components.attoseconds) / 1e18
                state.cpu = elapsed > 0 ? max(0, cpuSeconds - last) / elapsed : nil
            }
            state.cpuSeconds = cpuSeconds
            state.cpuSampledAt = now
        }
    }

    /// Ingest bits per second over the encoder's last key-frame intervals; nil while offline.
    private func bitrate(of channel: String) -> Double? {
        guard let hub = sources.hub.existingChannel(named: channel), hub.isLive, let window = hub.ingest.window else { return nil }
        let seconds = Self.seconds(window)
        return seconds > 0 ? Double(window.bytes) * 8 / seconds : nil
    }

    /// The window's media time, in seconds (a rate's denominator, never a timestamp).
    static func seconds(_ window: IngestMeter.Window) -> Double {
        Double(window.duration.ticks) / Double(window.duration.timescale)
    }

    public func live(channel: String) async -> LiveStatus {
        guard let packager = sources.packagers.packager(named: channel) else { return LiveStatus(live: false) }
        let names = Set(sources.packagers.all.map(\.name))
        let viewers = sources.audience.snapshot(channels: names).channelViewers[channel] ?? 0
        var status = LiveStatus(
            live: packager.isLive, viewers: viewers, latency: state.withLockedValue { $0.latency[channel] },
            renditions: packager.renditions.map(\.name))
        status.p2pPeers = sources.swarmPeers(channel)
        status.p2pOffload = state.withLockedValue { $0.offload[channel] }
        guard let hub = sources.hub.existingChannel(named: channel) else { return status }
        let inputs = hub.inputStatus
        status.input = inputs.active.map(Self.role)
        status.inputSwitches = inputs.switches
        guard hub.isLive else { return status }
        status.srt = inputs.active.flatMap { sources.srtLink(channel, $0) }
        let tracks = hub.tracks ?? []
        if let video = tracks.first(where: { $0.mediaType == .video }) {
            status.videoCodec = video.codecString
            status.width = video.video?.width
            status.height = video.video?.height
        }
        status.audioCodec = tracks.first { $0.mediaType == .audio }?.codecString
        if let window = hub.ingest.window, Self.seconds(window) > 0 {
            let seconds = Self.seconds(window)
            status.bitrate = Double(window.bytes) * 8 / seconds
            status.framesPerSecond = Double(window.frames) / seconds
            status.keyFrameInterval = seconds / Double(window.keyFrameIntervals)
        }
        return status
    }

    /// The hub's input as the API names it: the stream key role that publishes on it.
    static func role(_ input: InputRole) -> StreamKeyRole {
        switch input {
        case .primary: .primary
        case .backup: .backup
        case .slate: .slate
        }
    }

    public func history(channel: String) async -> TelemetryHistory {
        TelemetryHistory(
            intervalSeconds: Int(interval.components.seconds),
            samples: state.withLockedValue { $0.rings[channel]?.samples ?? [] })
    }

    public func server() async -> ServerStatus {
        var status = ServerStatus()
        status.cpu = state.withLockedValue { $0.cpu }
        status.cores = ProcessFigures.cores
        status.memoryBytes = ProcessFigures.residentBytes()
        status.memoryTotalBytes = ProcessFigures.totalMemoryBytes()
        if let disk = ProcessFigures.disk(sources.dataDirectory) {
            status.diskBytes = disk.size
            status.diskFreeBytes = disk.free
        }
        let archive = sources.archive.statistics
        status.archive = ServerStatus.ArchiveHealth(
            failing: archive.failing, segments: Int64(archive.segments), failures: Int64(archive.failures),
            dropped: Int64(archive.dropped), pending: archive.pending)
        status.transcoders = sources.transcoders().map { transcoder in
            let s = transcoder.status
            return ServerStatus.Transcoder(
                channel: transcoder.name, running: s.running, restarts: s.restarts, speed: s.progress?.speed,
                lagSeconds: s.lagMilliseconds.map { Double($0) / 1_000 }, lastError: s.lastError)
        }.sorted { $0.channel < $1.channel }
        status.liveChannels = sources.packagers.all.filter(\.isLive).count
        status.uptimeSeconds = Int((ContinuousClock.now - started).components.seconds)
        return status
    }
}
