import Admin
import Archive
import Channels
import Control
import Delivery
import Events
import Hummingbird
import Ingest
import Logging
import NIOCore
import Observability
import Restream
import ServiceLifecycle
import SRTIngest
import Tracker
import Transcoder

/// The parts of a running server that need the control plane's store, built once it is open:
/// ingest and its authorizer, the channels' provisioning and events, webhooks, clips, retention,
/// the HTTP application, and the ServiceGroup that runs them all.
final class RunningServer: Sendable {
    let store: ControlStore
    let events: ChannelEvents
    let provisioner: ChannelProvisioner
    /// Every source's way in; closed to new publishes when the server starts to stop.
    let gateway: PublishGateway
    /// SRT ingest, whose publishers' statistics the server reports.
    let srt: SRTIngestService
    let group: ServiceGroup
    let runtime: ChannelRuntime
    let logger: Logger

    /// How long services have to stop gracefully before they are cancelled.
    static let gracefulStopDuration: Duration = .seconds(3)

    init(server: AntenneServer, store: ControlStore) throws {
        let configuration = server.configuration
        let logger = server.logger
        let eventLoopGroup = server.eventLoopGroup
        self.store = store
        self.runtime = server.runtime
        self.logger = logger
        let webhooks = WebhookSender(store: store, configuration: configuration.webhooks, eventLoopGroup: eventLoopGroup, logger: logger)
        let events = ChannelEvents(store: store, webhooks: webhooks, logger: logger)
        self.events = events
        let provisioner = ChannelProvisioner(
            runtime: server.runtime, events: events,
            overlays: Dictionary(configuration.channels.map { ($0.name, $0.overlays) }, uniquingKeysWith: { first, _ in first }),
            health: configuration.channelHealth, logger: logger)
        self.provisioner = provisioner
        let admission = configuration.admissionHook.map { AdmissionHook(configuration: $0, eventLoopGroup: eventLoopGroup, logger: logger) }
        var rtmpConfiguration = RTMPIngestConfiguration(host: configuration.host, port: configuration.rtmpPort)
        rtmpConfiguration.handshakeTimeout = TimeAmount(configuration.rtmpHandshakeTimeout)
        let publishes = LivePublishes(logger: logger)
        let gateway = PublishGateway(
            hub: server.hub, authorizer: StreamKeyAuthorizer(store: store, admission: admission, provisioner: provisioner, logger: logger),
            publishes: publishes, logger: logger)
        self.gateway = gateway
        let rtmp = RTMPIngestService(
            configuration: rtmpConfiguration,
            gateway: gateway,
            makeSink: { FLVPublishSession(publisher: $0) },
            eventLoopGroup: eventLoopGroup,
            logger: logger
        )

        let srt = Self.srtIngest(configuration, gateway: gateway, logger: logger)
        self.srt = srt

        let restreamer = Restreamer(hub: server.hub, ffmpeg: configuration.ffmpegPath, eventLoopGroup: eventLoopGroup, logger: logger)
        let router = Router(options: .autoGenerateHeadEndpoints)
        let retention = RetentionService(
            store: server.archiveStore, jobs: store, reader: server.archiveReader, interval: configuration.retentionInterval,
            protected: configuration.retentionProtects, logger: logger, now: AntenneServer.wallClock)
        let viewers = ViewerReports()
        let audience = PlaybackAudience(window: .milliseconds(2 * configuration.packager.segmentTarget.milliseconds))
        let tracker = Self.tracker(server: server)
        let metrics = MetricsExposition(collectors: [
            ServerCollectors.packagers(server.packagers),
            ServerCollectors.ingest(hub: server.hub, gateway: gateway),
            ServerCollectors.audience(audience, packagers: server.packagers),
            ServerCollectors.viewers(viewers),
            ServerCollectors.transcoders { [runtime = server.runtime] in runtime.transcoders },
            ServerCollectors.archive(server.archive, retention: retention),
            ServerCollectors.disk(path: configuration.dataDirectory),
            ServerCollectors.srt { srt.publishers },
            ServerCollectors.swarms(tracker.hub),
            ServerCollectors.restream(restreamer),
        ])
        router.add(middleware: HTTPMetricsMiddleware(registry: metrics.registry))
        let playback = PlaybackRoutes(
            packagers: server.packagers, access: server.playbackAccess, archive: server.archiveReader,
            catalog: ControlPlaybackCatalog(store: store, logger: logger),
            thumbnails: Thumbnails(
                thumbnailer: Thumbnailer(ffmpeg: configuration.ffmpegPath, group: eventLoopGroup), logger: logger, now: AntenneServer.wallClock),
            observer: PlaybackMetrics(registry: metrics.registry, audience: audience), protection: server.contentProtection, logger: logger,
            now: AntenneServer.wallClock
        )
        PageRoutes(packagers: server.packagers, access: server.playbackAccess, viewers: viewers, isReady: { [weak server] in server?.isReady ?? false })
            .add(to: router)
        metrics.add(to: router)
        tracker.add(to: router)
        let telemetry = ServerTelemetry(sources: ServerTelemetry.Sources(
            hub: server.hub, packagers: server.packagers, audience: audience, reports: viewers,
            transcoders: { [runtime = server.runtime] in runtime.transcoders }, archive: server.archive,
            dataDirectory: configuration.dataDirectory, swarmPeers: { tracker.hub.peers(channel: $0) },
            srtLink: { srt.publisher(channel: $0, input: $1).map { RunningServer.srtLink($0) } }))
        ControlAPI(
            store: store, adminToken: configuration.adminToken.map(Secret.init), telemetry: telemetry, markers: server.runtime,
            media: configuration.mediaDirectory.map(MediaLibrary.init), logger: logger)
            .add(to: router)
        AdminRoutes().add(to: router)
        let listeners = server.listeners
        let secure = server.tls.map {
            Self.tlsListeners(
                server: server, tls: $0, rtmp: rtmpConfiguration, gateway: gateway, router: router, playback: playback, tracker: tracker)
        }
        let app = Application(
            router: router,
            server: tracker.http1Server { playback.channelHandler(serverName: AntenneServer.serverName) },
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.httpPort), serverName: AntenneServer.serverName),
            onServerRunning: { channel in
                listeners.withLockedValue { $0[.http] = channel.localAddress?.port }
            },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: logger
        )
        // Stopped in reverse order: the test source and ingest first, so publishers are closed
        // cleanly and their last segments reach the archive; then the channels; the control plane last.
        var services: [any Service] = [
            webhooks,
            ControlPlaneSync(store: store, runtime: server.runtime, publishes: publishes, logger: logger),
            ClipJobs(
                store: store, maker: ClipMaker(reader: server.archiveReader, store: server.archiveStore), archive: server.archiveStore,
                logger: logger, sweepInterval: configuration.clipSweepInterval),
            retention,
            telemetry,
            ArchiveService(writer: server.archive, store: server.archiveStore, logger: logger) { [weak server] failure in
                await server?.runningServer?.archiveHealthChanged(failure)
            },
            ChannelRuntimeService(runtime: server.runtime),
            RestreamService(restreamer: restreamer),
            RestreamSync(store: store, restreamer: restreamer, logger: logger),
            app,
        ]
        if let secure { services.append(secure.https) }
        services += [
            rtmp,
            ListenerProbe { try await rtmp.boundPort() } bound: { port in listeners.withLockedValue { $0[.rtmp] = port } },
            srt,
            ListenerProbe { try await srt.boundPort() } bound: { port in listeners.withLockedValue { $0[.srt] = port } },
        ]
        services += secure?.rtmps ?? []
        if configuration.stunPort != 0 {
            services.append(STUNService(host: configuration.host, port: configuration.stunPort, group: eventLoopGroup, logger: logger))
        }
        if let admission { services.append(admission) }
        if configuration.withTestSource, let channel = configuration.channels.first {
            services.append(FFmpegPublisherService(ffmpeg: configuration.ffmpegPath, logger: logger) {
                TestSource.ffmpegArguments(url: "rtmp://127.0.0.1:\(try await rtmp.boundPort())/live/\(channel.streamKey)")
            })
        }
        services += Self.playout(server: server, store: store) { key in "rtmp://127.0.0.1:\(try await rtmp.boundPort())/live/\(key)" }
        var groupConfiguration = ServiceGroupConfiguration(services: services, logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = Self.gracefulStopDuration
        group = ServiceGroup(configuration: groupConfiguration)
    }
}

/// Records a listener's port once it is bound, for readiness.
struct ListenerProbe: Service {
    let port: @Sendable () async throws -> Int
    let bound: @Sendable (Int) -> Void

    init(port: @escaping @Sendable () async throws -> Int, bound: @escaping @Sendable (Int) -> Void) {
        self.port = port
        self.bound = bound
    }

    func run() async throws {
        bound(try await port())
        try? await gracefulShutdown()
    }
}
