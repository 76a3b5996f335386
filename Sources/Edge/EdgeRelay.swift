import AsyncHTTPClient
import Delivery
import Logging
import NIOCore
import ServiceLifecycle

/// An edge relay: the channels it pulls from its origins (``EdgeDirectory``), served by the one
/// playback path (``playbackRoutes(observer:)``), with the same playback keys as the origins.
/// A `Service`: it drops idle channels while it runs, and stops every pull on graceful shutdown.
public final class EdgeRelay: Service {
    public let directory: EdgeDirectory
    public let statistics: EdgeStatistics
    /// Who may watch what: a channel whose origin asked the edge for a token is a token channel
    /// here too, verified with the same keys.
    public let access: PlaybackAccess
    let pool: OriginPool
    let limits: EdgeLimits
    /// What the edge keeps of the answers it passes through, when it keeps any.
    let cache: PassThroughCache?
    private let client: HTTPClient
    private let logger: Logger
    private let now: @Sendable () -> Int64

    /// How often idle channels are looked for, and the origins asked whether P2P is on.
    static let sweepInterval: Duration = .seconds(5)

    /// Connections to one origin at once: a blocking reload per rendition pulled, and its part
    /// fetches; 512 channels of 5 renditions each fit with room to spare.
    static let connectionsPerOrigin = 4_096

    /// - Parameters:
    ///   - origins: base URLs, `http://host:port`, in order of preference.
    ///   - signer: the playback keys, if any channel needs tokens.
    ///   - cache: the disk cache of pass-through answers, if any.
    ///   - now: wall clock, Unix epoch milliseconds.
    public init(
        origins: [String], signer: PlaybackSigner?, limits: EdgeLimits = EdgeLimits(), cache: PassThroughCache? = nil,
        eventLoopGroup: any EventLoopGroup, logger: Logger, now: @escaping @Sendable () -> Int64
    ) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: Self.connectionsPerOrigin)
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration, backgroundActivityLogger: logger)
        let statistics = EdgeStatistics()
        let pool = OriginPool(origins: origins, client: client, statistics: statistics, logger: logger)
        let directory = EdgeDirectory(pool: pool, signer: signer, limits: limits, logger: logger, now: now)
        self.client = client
        self.pool = pool
        self.statistics = statistics
        self.directory = directory
        self.limits = limits
        self.cache = cache
        self.logger = logger
        self.now = now
        self.access = PlaybackAccess(signer: signer) { directory.visibility(of: $0) }
    }

    /// The playback routes of the edge: its pulled windows, its access, the origin's thumbnails,
    /// the archive and the content keys passed through to the origins (the archive's answers kept
    /// in the disk cache when there is one), and encrypted channels
    /// listed with their origin's keys.
    public func playbackRoutes(observer: (any PlaybackObserver)? = nil) -> PlaybackRoutes {
        let passThrough = OriginPassThrough(pool: pool, limits: limits)
        return PlaybackRoutes(
            packagers: directory, access: access, thumbnails: EdgeThumbnails(limits: limits), observer: observer,
            upstream: cache.map { CachedPassThrough(origin: passThrough, cache: $0) } ?? passThrough, protection: .relayed { [directory] in directory.encryption(of: $0) },
            logger: logger, now: now)
    }

    /// The origin pulls use now.
    public var currentOrigin: String { pool.origins[pool.index] }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: Self.sweepInterval)
                self.directory.dropIdle()
                await self.directory.refreshP2P()
            }
        }
        directory.stopAll()
        try await client.shutdown()
    }
}
