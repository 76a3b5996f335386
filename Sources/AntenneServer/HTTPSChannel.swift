import Delivery
import HummingbirdCore
import HummingbirdHTTP2
import HummingbirdWebSocket
import Ingest
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// The connections of the HTTPS listener: TLS, then HTTP/1.1 or HTTP/2 as ALPN chose (RFC 7301;
/// RFC 9113 §3.2). An HTTP/1.1 connection is the plain listener's (``P2PTracker/http1Channel``:
/// the playback handler in front of the application, and the tracker's WebSocket upgrade, which a
/// browser makes over HTTP/1.1); an HTTP/2 connection puts the playback handler in each stream's
/// child channel (HummingbirdHTTP2's `HTTP2Channel`), so one playback path serves both. A
/// handshake that does not complete in time closes the connection
/// (``TLSHandshakeTimeoutHandler``); one that then neither reads nor writes is closed too
/// (``IdleConnections``).
struct HTTPSChannel: ServerChildChannel {
    enum Negotiated: Sendable {
        case http1(HTTP1WebSocketUpgradeChannel.Value)
        case http2(HTTP2Channel.Value)
    }

    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        let channel: any Channel
    }

    /// What ALPN offers, preferred first (RFC 7301 §3.2).
    static let applicationProtocols = ["h2", "http/1.1"]

    let context: NIOSSLContext
    let http1: HTTP1WebSocketUpgradeChannel
    let http2: HTTP2Channel
    let handshakeTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try IdleConnections.add(to: pipeline)
            let tls = NIOSSLServerHandler(context: context)
            try pipeline.addHandler(tls)
            try pipeline.addHandler(TLSHandshakeTimeoutHandler(timeout: handshakeTimeout, listener: "HTTPS", logger: logger), position: .after(tls))
            let alpn = NIOTypedApplicationProtocolNegotiationHandler<Negotiated> { [http1, http2] result -> EventLoopFuture<Negotiated> in
                switch result {
                case .negotiated("h2"):
                    return http2.setup(channel: channel, logger: logger).map { .http2($0) }
                case .negotiated("http/1.1"), .fallback:
                    return http1.setup(channel: channel, logger: logger).map { .http1($0) }
                case .negotiated(let other):
                    // Only what was offered can be chosen; anything else is a broken client.
                    logger.debug("HTTPS: ALPN chose \(other), which was not offered")
                    channel.close(promise: nil)
                    return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
                }
            }
            try pipeline.addHandler(alpn)
            return Value(negotiated: alpn.protocolNegotiationResult, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .http1(let connection): await http1.handle(value: connection, logger: logger)
            case .http2(let connection): await http2.handle(value: connection, logger: logger)
            }
        } catch {
            logger.debug("HTTPS connection ended before its protocol was chosen: \(error)")
        }
    }
}
