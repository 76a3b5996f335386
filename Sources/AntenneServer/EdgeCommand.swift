import ArgumentParser
import Delivery
import Edge
import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Observability
import ServiceLifecycle
import Tracker

/// `antenne edge --origin URL [--origin URL …]`: a relay that pulls the live channels from its
/// origins and serves the same playback URLs, health, readiness and metrics (docs/EDGE.md).
struct EdgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edge", abstract: "Relay the playback URLs of origins (or of another edge): pull, hold the live window, serve.")

    @Option(name: .long, help: ArgumentHelp(
        "An origin (or an upstream edge), http://HOST:PORT. Repeatable: the first is used, the next when it fails.", valueName: "URL"))
    var origin: [String] = []

    @Option(name: .long, help: "Address to listen on (default 0.0.0.0).")
    var host = "0.0.0.0"

    @Option(name: .long, help: "HTTP port: playback, health, readiness, metrics (default 8080).")
    var httpPort = 8080

    @OptionGroup var playbackKeyOptions: PlaybackKeyOptions

    @Option(name: .long, help: ArgumentHelp(
        "A STUN or TURN server the edge's P2P players use (stun:HOST:PORT, turn:HOST:PORT); repeatable. P2P itself follows the origin's channel setting.",
        valueName: "URL"))
    var iceServer: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "A directory for the disk cache of what the edge passes through to its origins (DVR and catch-up playlists, archived segments, recordings, clips). Without it nothing is kept.",
        valueName: "DIR"))
    var cacheDir: String?

    @Option(name: .long, help: ArgumentHelp("The disk cache's size at most: 256M, 20G, ... (default 1G).", valueName: "SIZE"))
    var cacheMaxBytes = "1G"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    /// The smallest disk cache: a few minutes of catch-up in one rendition.
    static let minimumCacheBytes: Int64 = 16 << 20

    func validate() throws {
        guard !origin.isEmpty else { throw ValidationError("give at least one --origin") }
        for url in origin {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil,
                  parsed.query == nil, parsed.path.isEmpty || parsed.path == "/" else {
                throw ValidationError("--origin \(url): give http://HOST:PORT")
            }
        }
        guard (0...65_535).contains(httpPort) else { throw ValidationError("--http-port \(httpPort) is not a port") }
        guard RetentionOptions.bytes(cacheMaxBytes, minimum: Self.minimumCacheBytes) != nil else {
            throw ValidationError("--cache-max-bytes wants a size from 16M to 1024T, such as 20G")
        }
        for server in iceServer where !(server.hasPrefix("stun:") || server.hasPrefix("turn:") || server.hasPrefix("turns:")) {
            throw ValidationError("an ICE server is a stun:, turn: or turns: URL, got '\(server)'")
        }
    }

    func run() async throws {
        let logger = ServerLogging.bootstrap(level: logLevel)
        AllocatorPolicy.apply(logger: logger)
        let keys = try playbackKeyOptions.resolve(file: nil)
        let signer = keys.isEmpty ? nil : try PlaybackSigner(keys: keys)
        let group = MultiThreadedEventLoopGroup.singleton
        let cache = try cacheDir.map { directory in
            try PassThroughCache(directory: URL(fileURLWithPath: directory),
                                 maxBytes: Int(RetentionOptions.bytes(cacheMaxBytes, minimum: Self.minimumCacheBytes) ?? 0))
        }
        let relay = EdgeRelay(origins: origin, signer: signer, cache: cache, eventLoopGroup: group, logger: logger, now: AntenneServer.wallClock)
        let ready = NIOLockedValueBox(false)
        // The edge's own viewers form their own swarms, on the edge's own tracker: digests of the
        // bytes the edge serves (its windows are byte-for-byte the origin's), P2P on where the
        // origin has it on.
        let tracker = P2PTracker(
            configuration: TrackerConfiguration(isEnabled: { relay.directory.isP2PEnabled($0) }, ice: .init(servers: iceServer)),
            access: relay.access, packagers: relay.directory)
        let metrics = MetricsExposition(collectors: [relay.collector, ServerCollectors.swarms(tracker.hub)])
        let router = Router(options: .autoGenerateHeadEndpoints)
        PageRoutes(packagers: relay.directory, access: relay.access, isReady: { ready.withLockedValue { $0 } }).add(to: router)
        metrics.add(to: router)
        tracker.add(to: router)
        let playback = relay.playbackRoutes(observer: PlaybackMetrics(registry: metrics.registry))
        let app = Application(
            router: router,
            server: tracker.http1Server { playback.channelHandler(serverName: AntenneServer.serverName) },
            configuration: ApplicationConfiguration(address: .hostname(host, port: httpPort), serverName: AntenneServer.serverName),
            onServerRunning: { channel in
                ready.withLockedValue { $0 = true }
                logger.notice("Antenne edge serving", metadata: [
                    "port": "\(channel.localAddress?.port ?? 0)", "origins": "\(origin.joined(separator: ", "))",
                ])
            },
            eventLoopGroupProvider: .shared(group),
            logger: logger
        )
        var configuration = ServiceGroupConfiguration(services: [relay, app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = RunningServer.gracefulStopDuration
        try await ServiceGroup(configuration: configuration).run()
    }
}
