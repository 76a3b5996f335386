import Logging
import NIOCore
import NIOTLS

/// Closes a connection whose TLS handshake has not completed in time, so that a client that
/// connects and never finishes its hello holds a socket for a bounded time only. It sits right
/// after the TLS handler, sees the handshake complete, and then leaves the pipeline.
public final class TLSHandshakeTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = NIOAny

    /// A real client needs one or two round trips; 10 s rides out a congested uplink and also
    /// bounds how long a scanner can hold a socket (the same bound as the RTMP handshake's).
    public static let defaultTimeout: TimeAmount = .seconds(10)

    private let timeout: TimeAmount
    /// The listener's protocol, for the log line: `RTMPS`, `HTTPS`.
    private let listener: String
    private let logger: Logger
    private var timer: Scheduled<Void>?

    public init(timeout: TimeAmount = defaultTimeout, listener: String, logger: Logger) {
        self.timeout = timeout
        self.listener = listener
        self.logger = logger
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard timer == nil else { return }
        let (timeout, listener, logger) = (timeout, listener, logger)
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            logger.notice(
                "closing \(listener) connection: TLS handshake not completed within \(timeout.nanoseconds / 1_000_000) ms",
                metadata: ["peer": "\(context.channel.remoteAddress.map { "\($0)" } ?? "unknown")"])
            context.close(promise: nil)
        }
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        context.fireUserInboundEventTriggered(event)
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            timer?.cancel()
            timer = nil
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    public func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }
}
