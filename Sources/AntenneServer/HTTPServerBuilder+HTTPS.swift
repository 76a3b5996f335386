import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import Ingest
import NIOCore
import NIOSSL
import Tracker

extension HTTPServerBuilder {
    /// HTTPS with HTTP/2: every handshake presents the current pair of `tls`; `playback` makes the
    /// handler put in front of the application on each connection or stream; HTTP/1.1
    /// connections also take `tracker`'s WebSocket upgrade.
    static func https(
        tls: TLSCredentials, handshakeTimeout: TimeAmount, tracker: P2PTracker,
        playback: @escaping @Sendable () -> any RemovableChannelHandler
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            var configuration = tls.serverConfiguration
            configuration.applicationProtocols = HTTPSChannel.applicationProtocols
            return HTTPSChannel(
                context: try NIOSSLContext(configuration: configuration),
                http1: tracker.http1Channel(responder: responder, playback: playback),
                http2: HTTP2Channel(
                    responder: responder, configuration: .init(streamConfiguration: .init(additionalChannelHandlers: [playback()]))),
                handshakeTimeout: handshakeTimeout)
        }
    }
}
