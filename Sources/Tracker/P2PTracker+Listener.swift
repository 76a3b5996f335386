import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import NIOCore

extension P2PTracker {
    /// An HTTP/1.1 connection of a playback listener, plain or behind TLS: `playback` (made anew
    /// for each connection) in front of the application, and the tracker's WebSocket upgrade
    /// (RFC 6455 §4.2) on `/p2p/{channel}/{rendition}`.
    public func http1Channel(
        responder: @escaping HTTPChannelHandler.Responder, playback: @escaping @Sendable () -> any RemovableChannelHandler
    ) -> HTTP1WebSocketUpgradeChannel {
        HTTP1WebSocketUpgradeChannel(
            responder: responder, configuration: .init(http1: .init(additionalChannelHandlers: [playback()]), ws: Self.webSocketConfiguration)
        ) { request, channel, _ in
            shouldUpgrade(request, from: channel.remoteAddress)
        }
    }

    /// The plain HTTP listener of an origin or an edge: ``http1Channel(responder:playback:)`` on
    /// each connection.
    public func http1Server(playback: @escaping @Sendable () -> any RemovableChannelHandler) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in http1Channel(responder: responder, playback: playback) }
    }
}
