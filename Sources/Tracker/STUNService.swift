import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Antenne's own STUN responder (`--stun-port`, 0 = off): answers Binding requests on UDP so that
/// a self-hosted deployment's players need no third-party STUN server for their ICE candidates.
public final class STUNService: Service, Sendable {
    let host: String
    let port: Int
    let group: any EventLoopGroup
    let logger: Logger
    private let portPromise: EventLoopPromise<Int>

    public init(host: String, port: Int, group: any EventLoopGroup, logger: Logger) {
        self.host = host
        self.port = port
        self.group = group
        self.logger = logger
        portPromise = group.next().makePromise(of: Int.self)
    }

    /// The port bound, once it is.
    public func boundPort() async throws -> Int { try await portPromise.futureResult.get() }

    public func run() async throws {
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelInitializer { $0.pipeline.addHandler(STUNHandler()) }
                .bind(host: host, port: port).get()
        } catch {
            portPromise.fail(error)
            throw error
        }
        portPromise.succeed(channel.localAddress?.port ?? port)
        logger.info("STUN responder listening", metadata: ["port": "\(channel.localAddress?.port ?? port)"])
        try? await gracefulShutdown()
        try await channel.close()
    }
}

/// Each datagram: a Binding request answered, anything else dropped.
final class STUNHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        // Not a request Antenne answers: no answer (RFC 8489 §6.3.4 lets a server drop it).
        guard let request = try? STUNBindingRequest(parsing: envelope.data),
              let response = STUNBindingResponse.encode(request, source: envelope.remoteAddress)
        else { return }
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: response)), promise: nil)
    }
}
