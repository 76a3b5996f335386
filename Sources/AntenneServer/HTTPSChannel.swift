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
