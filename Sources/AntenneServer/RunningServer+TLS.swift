import Delivery
import Hummingbird
import Ingest
import NIOCore
import ServiceLifecycle
import Tracker

extension RunningServer {
    /// With a certificate: the RTMPS listener (the RTMP ingest behind TLS) and the HTTPS listener
    /// (the same application, playback path and P2P tracker as HTTP, over HTTP/1.1 or HTTP/2),
    /// each recording its port for readiness once bound.
    static func tlsListeners(
        server: AntenneServer, tls: TLSCredentials, rtmp: RTMPIngestConfiguration, gateway: PublishGateway,
        router: Router<BasicRequestContext>, playback: PlaybackRoutes, tracker: P2PTracker
    ) -> (https: any Service, rtmps: [any Service]) {
        let configuration = server.configuration
        let (listeners, logger) = (server.listeners, server.logger)
        let handshakeTimeout = TimeAmount(configuration.tlsHandshakeTimeout)
        var rtmpsConfiguration = rtmp
        rtmpsConfiguration.port = configuration.rtmpsPort
        rtmpsConfiguration.tlsHandshakeTimeout = handshakeTimeout
        let rtmps = RTMPIngestService(
            configuration: rtmpsConfiguration, gateway: gateway, makeSink: { FLVPublishSession(publisher: $0) }, tls: tls,
            eventLoopGroup: server.eventLoopGroup, logger: logger)
        let https = Application(
            router: router,
            server: .https(tls: tls, handshakeTimeout: handshakeTimeout, tracker: tracker) {
                playback.channelHandler(serverName: AntenneServer.serverName)
            },
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.httpsPort), serverName: AntenneServer.serverName),
            onServerRunning: { channel in
                listeners.withLockedValue { $0[.https] = channel.localAddress?.port }
            },
            eventLoopGroupProvider: .shared(server.eventLoopGroup),
            logger: logger
        )
        let probe = ListenerProbe { try await rtmps.boundPort() } bound: { port in listeners.withLockedValue { $0[.rtmps] = port } }
        return (https, [rtmps, probe])
    }
}
