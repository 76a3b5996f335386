import Hub
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization

/// The RTMP listener: accepts publishers on `rtmp://HOST:PORT/live/{streamKey}`, opens each publish
/// through the ``PublishGateway`` and feeds it into a ``MediaSink`` made for its channel's
/// ``HubPublisher``. Given ``TLSCredentials``, it is the RTMPS listener
/// (`rtmps://HOST:PORT/live/{streamKey}`): the same RTMP session behind a TLS handler, its
/// publishes presented as ``PublishSource/rtmps``.
///
/// `run()` binds, serves until graceful shutdown or cancellation, then closes the listener and
/// every open connection (each open publish's sink is closed exactly once).
public final class RTMPIngestService: Service, Sendable {
    private let configuration: RTMPIngestConfiguration
    private let gateway: PublishGateway
    private let makeSink: @Sendable (HubPublisher) -> any MediaSink
    private let tls: TLSCredentials?
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let binding = ListenerBinding()

    public init(
        configuration: RTMPIngestConfiguration, gateway: PublishGateway,
        makeSink: @escaping @Sendable (HubPublisher) -> any MediaSink,
        tls: TLSCredentials? = nil,
        eventLoopGroup: any EventLoopGroup, logger: Logger
    ) {
        self.configuration = configuration
        self.gateway = gateway
        self.makeSink = makeSink
        self.tls = tls
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// The port the listener is bound to; suspends until it is bound, throws if binding failed.
    public func boundPort() async throws -> Int {
        try await binding.port()
    }

    private var source: PublishSource { tls == nil ? .rtmp : .rtmps }

    public func run() async throws {
        let connections = ConnectionRegistry()
        let name = source.rawValue.uppercased()
        let dependencies = RTMPConnectionHandler.Dependencies(
            configuration: configuration, gateway: gateway, makeSink: makeSink, source: source, logger: logger
        )
        // One context for the listener's life; each handshake takes the credentials' current pair.
        let tlsContext: NIOSSLContext?
        do {
            tlsContext = try tls.map { try NIOSSLContext(configuration: $0.serverConfiguration) }
        } catch {
            logger.error("\(name) listener could not set up TLS: \(error)")
            binding.resolve(.failure(error))
            throw error
        }
        let tlsHandshakeTimeout = configuration.tlsHandshakeTimeout
        let bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // The connection handler asks for each read (it merges them while media flows).
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { [logger] channel in
                connections.insert(channel)
                return channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandlers(
                            NIOSSLServerHandler(context: tlsContext),
                            TLSHandshakeTimeoutHandler(timeout: tlsHandshakeTimeout, listener: name, logger: logger))
                    }
                    try channel.pipeline.syncOperations.addHandler(RTMPConnectionHandler(dependencies: dependencies))
                }
            }

        let server: any Channel
        do {
            server = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        } catch {
            logger.error("\(name) listener could not bind \(configuration.host):\(configuration.port): \(error)")
            binding.resolve(.failure(error))
            throw error
        }
        guard let port = server.localAddress?.port else {
            server.close(promise: nil)
            binding.resolve(.failure(IngestError.notBound))
            throw IngestError.notBound
        }
        binding.resolve(.success(port))
        logger.info("\(name) ingest listening", metadata: ["host": "\(configuration.host)", "port": "\(port)"])

        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                // The close future only fails when closing itself failed; either way the listener is gone.
                do { try await server.closeFuture.get() } catch { logger.debug("\(name) listener closed with \(error)") }
            } onCancel: {
                server.close(promise: nil)
            }
        } onGracefulShutdown: {
            server.close(promise: nil)
        }

        let open = connections.closeAll()
        for channel in open {
            do { try await channel.closeFuture.get() } catch { logger.debug("RTMP connection closed with \(error)") }
        }
        logger.info("\(name) ingest stopped", metadata: ["closedConnections": "\(open.count)"])
    }
}

/// The open connections of one listener, so that shutdown can close them.
private final class ConnectionRegistry: Sendable {
    private let state = Mutex<(channels: [ObjectIdentifier: any Channel], closed: Bool)>(([:], false))

    func insert(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let accepted = state.withLock { state in
            guard !state.closed else { return false }
            state.channels[id] = channel
            return true
        }
        guard accepted else {
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { [self] _ in
            _ = state.withLock { $0.channels.removeValue(forKey: id) }
        }
    }

    /// Closes every open connection and refuses later ones; returns those it closed.
    func closeAll() -> [any Channel] {
        let channels = state.withLock { state in
            state.closed = true
            return Array(state.channels.values)
        }
        for channel in channels { channel.close(promise: nil) }
        return channels
    }
}
