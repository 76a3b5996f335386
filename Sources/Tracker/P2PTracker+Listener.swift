import Delivery
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore

extension P2PTracker {
    /// An HTTP/1.1 connection of a playback listener, plain or behind TLS: `playback` (made anew
    /// for each connection) in front of the application, and the tracker's WebSocket upgrade
    /// (RFC 6455 §4.2) on `/p2p/{channel}/{rendition}`, which takes the connection's idle timer
    /// away (``IdleConnections``): a peer may be quiet as long as it likes.
    public func http1Channel(
        responder: @escaping HTTPChannelHandler.Responder, playback: @escaping @Sendable () -> any RemovableChannelHandler
    ) -> HTTP1WebSocketUpgradeChannel {
        HTTP1WebSocketUpgradeChannel(
            responder: responder, configuration: .init(http1: .init(additionalChannelHandlers: [playback()]), ws: Self.webSocketConfiguration)
        ) { request, channel, _ in
            let decision = shouldUpgrade(request, from: channel.remoteAddress)
            if case .upgrade = decision { IdleConnections.remove(from: channel.pipeline) }
            return decision
        }
    }

    /// The plain HTTP listener of an origin or an edge: ``http1Channel(responder:playback:)`` on
    /// each connection, behind ``IdleConnections``.
    public func http1Server(playback: @escaping @Sendable () -> any RemovableChannelHandler) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in IdleClosing(http1Channel(responder: responder, playback: playback)) }
    }
}

/// A listener's connections with ``IdleConnections`` first in their pipeline.
struct IdleClosing<Connection: ServerChildChannel>: ServerChildChannel {
    let connection: Connection

    init(_ connection: Connection) { self.connection = connection }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Connection.Value> {
        do {
            try IdleConnections.add(to: channel.pipeline.syncOperations)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return connection.setup(channel: channel, logger: logger)
    }

    func handle(value: Connection.Value, logger: Logger) async {
        await connection.handle(value: value, logger: logger)
    }
}
