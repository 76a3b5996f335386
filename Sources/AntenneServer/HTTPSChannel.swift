import HummingbirdCore
import HummingbirdHTTP2
import Ingest
import Logging
import NIOCore
import NIOSSL

/// The connections of the HTTPS listener: TLS, then HTTP/1.1 or HTTP/2 as ALPN chose
/// (HummingbirdHTTP2's `HTTP2UpgradeChannel`). The playback handler sits in front of the
/// application on each HTTP/1.1 connection and in each HTTP/2 stream's child channel (after the
/// stream's frame-to-HTTP codec), so one playback path serves both; and a handshake that does not
/// complete in time closes the connection (``TLSHandshakeTimeoutHandler``).
struct HTTPSChannel: ServerChildChannel {
    typealias Value = HTTP2UpgradeChannel.Value

    let upgrade: HTTP2UpgradeChannel
    let handshakeTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        upgrade.setup(channel: channel, logger: logger).flatMapThrowing { [handshakeTimeout] value in
            let pipeline = channel.pipeline.syncOperations
            let tls = try pipeline.handler(type: NIOSSLServerHandler.self)
            try pipeline.addHandler(TLSHandshakeTimeoutHandler(timeout: handshakeTimeout, listener: "HTTPS", logger: logger), position: .after(tls))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await upgrade.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTPS with HTTP/2: every handshake presents the current pair of `tls`, and `playback`
    /// makes the handler put in front of the application on each connection or stream.
    static func https(
        tls: TLSCredentials, handshakeTimeout: TimeAmount,
        playback: @escaping @Sendable () -> any RemovableChannelHandler
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            HTTPSChannel(
                upgrade: try HTTP2UpgradeChannel(
                    tlsConfiguration: tls.serverConfiguration,
                    configuration: .init(streamConfiguration: .init(additionalChannelHandlers: [playback()])),
                    responder: responder),
                handshakeTimeout: handshakeTimeout)
        }
    }
}
