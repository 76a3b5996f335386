import NIOCore

/// Closes a playback listener's connection that has neither read nor written a byte for
/// ``timeout``: a client that connects and says nothing, a keep-alive connection nobody uses, a
/// reader that stopped reading a download. It sits first in the pipeline (ahead of TLS), so it
/// counts every byte: a request held at the live edge or a download in progress is not idle.
/// A WebSocket lives as long as its peer: the upgrade takes the handlers away
/// (``remove(from:)``). nginx closes after 75 s (`keepalive_timeout`) and 60 s (`send_timeout`).
public enum IdleConnections {
    public static let timeout = TimeAmount.seconds(75)
    static let name = "antenne.idle"
    static let closerName = "antenne.idle.close"

    /// Adds the idle timer and its closer first in `pipeline`.
    public static func add(to pipeline: ChannelPipeline.SynchronousOperations, timeout: TimeAmount = timeout) throws {
        try pipeline.addHandler(Closer(), name: closerName, position: .first)
        try pipeline.addHandler(IdleStateHandler(allTimeout: timeout), name: name, position: .first)
    }

    /// Takes the handlers away, for a connection whose peer may be quiet as long as it likes.
    public static func remove(from pipeline: ChannelPipeline) {
        pipeline.removeHandler(name: name, promise: nil)
        pipeline.removeHandler(name: closerName, promise: nil)
    }

    final class Closer: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            guard event is IdleStateHandler.IdleStateEvent else { return context.fireUserInboundEventTriggered(event) }
            context.close(promise: nil)
        }
    }
}
