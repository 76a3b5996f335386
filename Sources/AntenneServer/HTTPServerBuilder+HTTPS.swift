import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import Ingest
import NIOCore

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
