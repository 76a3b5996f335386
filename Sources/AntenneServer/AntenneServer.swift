import Archive
import Control
import Delivery
import Foundation
import Hub
import Hummingbird
import Ingest
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Packager
import ServiceLifecycle
import Transcoder

/// The only place that wires modules together: hub, packagers, RTMP ingest and HTTP delivery, run
/// as Services in one ServiceGroup.
public final class AntenneServer: Sendable {
    public let configuration: ServerConfiguration
    public let hub = Hub()
    public let packagers = PackagerRegistry()
    let logger: Logger
    private let eventLoopGroup: MultiThreadedEventLoopGroup
    private let httpPort = NIOLockedValueBox<Int?>(nil)
    private let rtmp: RTMPIngestService
    private let group = NIOLockedValueBox<ServiceGroup?>(nil)
    private let playbackAccess: PlaybackAccess
    let runtime: ChannelRuntime
    let authorizer: ServerAuthorizer
    private let publishes: LivePublishes
    let archiveStore: any ArchiveStore
    private let archive: ArchiveWriter
    private let archiveReader: ArchiveReader

    /// What the archive writer has done so far.
    public var archiveStatistics: ArchiveWriter.Statistics { archive.statistics }

    /// One per transcoded channel.
    public var transcoders: [ChannelTranscoder] { runtime.transcoders }

    /// The control plane's store, once the server runs.
    public var controlStore: ControlStore? { authorizer.store.withLockedValue { $0 } }

    public init(configuration: ServerConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        self.eventLoopGroup = MultiThreadedEventLoopGroup.singleton
        archiveStore = try ArchiveLocation.parse(
            configuration.archiveLocation, dataDirectory: configuration.dataDirectory,
            s3Endpoint: configuration.s3Endpoint, s3Addressing: configuration.s3Addressing, environment: configuration.environment
        ).makeStore(logger: logger)
        archive = ArchiveWriter(store: archiveStore, logger: logger)
        archiveReader = ArchiveReader(store: archiveStore, now: Self.wallClock)
        let runtime = ChannelRuntime(
            hub: hub, packagers: packagers, configuration: configuration, archive: archive, archiveReader: archiveReader,
            eventLoopGroup: eventLoopGroup, logger: logger)
        self.runtime = runtime
        self.playbackAccess = try Self.playbackAccess(configuration, visibility: { runtime.visibility(of: $0) })
        self.authorizer = ServerAuthorizer(channels: configuration.channels, runtime: runtime, logger: logger)
        var rtmpConfiguration = RTMPIngestConfiguration(host: configuration.host, port: configuration.rtmpPort)
        rtmpConfiguration.handshakeTimeout = TimeAmount(configuration.rtmpHandshakeTimeout)
        let publishes = LivePublishes(logger: logger)
        self.publishes = publishes
        rtmp = RTMPIngestService(
            configuration: rtmpConfiguration,
            hub: hub,
            authorizer: authorizer,
            publishes: publishes,
            makeSink: { FLVPublishSession(publisher: $0) },
            eventLoopGroup: eventLoopGroup,
            logger: logger
        )
    }

    /// The HTTP `Server` header.
    static let serverName = "Antenne"

    /// Unix epoch milliseconds.
    @Sendable static func wallClock() -> Int64 {
        Date().unixMilliseconds
    }

    public var isReady: Bool { httpPort.withLockedValue { $0 } != nil && rtmpBound.withLockedValue { $0 } }
    private let rtmpBound = NIOLockedValueBox(false)

    /// Runs until SIGINT/SIGTERM (or `shutdown()`), then shuts down gracefully.
    public func run(handleSignals: Bool = true) async throws {
        let store = try await ControlStore.open(
            database: try DatabaseLocation.parse(configuration.databaseURL, dataDirectory: configuration.dataDirectory),
            eventLoopGroup: eventLoopGroup, logger: logger)
        authorizer.store.withLockedValue { $0 = store }
        defer { Task { await store.shutdown() } }
        let router = Router(options: .autoGenerateHeadEndpoints)
        let playback = PlaybackRoutes(
            packagers: packagers, access: playbackAccess, archive: archiveReader,
            catalog: ServerPlaybackCatalog(store: authorizer.store, logger: logger),
            thumbnails: Thumbnails(
                thumbnailer: Thumbnailer(ffmpeg: configuration.ffmpegPath, group: eventLoopGroup), logger: logger, now: Self.wallClock),
            timers: eventLoopGroup, now: Self.wallClock
        )
        playback.add(to: router)
        let packagers = self.packagers
        let retention = RetentionService(
            store: archiveStore, reader: archiveReader, interval: configuration.retentionInterval,
            protected: configuration.retentionProtects, logger: logger, now: Self.wallClock
        ) { [weak self] in await self?.retentionTargets() ?? [] }
        PageRoutes(packagers: packagers, access: playbackAccess, isReady: { [weak self] in self?.isReady ?? false }).add(to: router)
        MetricsRoute(
            packagers: packagers, transcoders: { [runtime] in runtime.transcoders }, archive: { [archive] in archive.statistics },
            retention: { retention.statistics }
        ).add(to: router)
        ControlAPI(store: store, adminToken: configuration.adminToken.map(Secret.init), logger: logger).add(to: router)
        let webhooks = WebhookSender(store: store, configuration: configuration.webhooks, eventLoopGroup: eventLoopGroup, logger: logger)
        authorizer.webhooks.withLockedValue { $0 = webhooks }
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [playback.liveHandler(serverName: Self.serverName)])),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.httpPort), serverName: Self.serverName),
            onServerRunning: { [httpPort] channel in
                httpPort.withLockedValue { $0 = channel.localAddress?.port }
            },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: logger
        )
        var services: [any Service] = [
            ChannelRuntimeService(runtime: runtime),
            rtmp, app, ReadinessProbe(server: self), webhooks,
            ControlPlaneSync(store: store, runtime: runtime, publishes: publishes, logger: logger),
            ArchiveService(writer: archive, store: archiveStore, logger: logger) { [weak self] failure in
                await self?.archiveHealthChanged(failure)
            },
            retention,
            ClipService(
                store: authorizer.store, maker: ClipMaker(reader: archiveReader, store: archiveStore), archive: archiveStore, logger: logger,
                sweepInterval: configuration.clipSweepInterval),
        ]
        if let configuration = configuration.admissionHook {
            let hook = AdmissionHook(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
            authorizer.admission.withLockedValue { $0 = hook }
            services.append(hook)
        }
        if configuration.withTestSource, let channel = configuration.channels.first {
            let rtmp = self.rtmp
            services.append(FFmpegPublisherService(logger: logger) {
                TestSource.ffmpegArguments(url: "rtmp://127.0.0.1:\(try await rtmp.boundPort())/live/\(channel.streamKey)")
            })
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [],
                logger: logger
            )
        )
        self.group.withLockedValue { $0 = group }
        try await withTaskExecutorPreference(EventLoopTaskExecutor(group: eventLoopGroup)) {
            try await group.run()
        }
    }

    public func shutdown() async {
        await group.withLockedValue { $0 }?.triggerGracefulShutdown()
    }

    /// Waits until both listeners are bound and returns their ports.
    public func waitUntilReady(timeout: Duration = .seconds(30)) async throws -> (http: Int, rtmp: Int) {
        let rtmpPort = try await rtmp.boundPort()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let http = httpPort.withLockedValue({ $0 }) { return (http, rtmpPort) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ServerError.notReady
    }

    fileprivate func markRTMPBound() { rtmpBound.withLockedValue { $0 = true } }
    fileprivate var rtmpService: RTMPIngestService { rtmp }
}

public enum ServerError: Error, CustomStringConvertible {
    case notReady
    /// Token channels need at least one playback key.
    case noPlaybackKey(channels: [String])

    public var description: String {
        switch self {
        case .notReady: "the listeners did not come up in time"
        case .noPlaybackKey(let channels):
            "channel\(channels.count == 1 ? "" : "s") \(channels.map { "'\($0)'" }.joined(separator: ", ")) "
                + "\(channels.count == 1 ? "needs" : "need") playback tokens, but no playback key is configured: "
                + "give --playback-key ID:SECRET, set ANTENNE_PLAYBACK_KEY or add playbackKeys to the configuration file"
        }
    }
}

/// Marks the server ready once the RTMP listener is bound (HTTP reports itself).
private struct ReadinessProbe: Service {
    let server: AntenneServer

    func run() async throws {
        _ = try await server.rtmpService.boundPort()
        server.markRTMPBound()
        try? await gracefulShutdown()
    }
}
