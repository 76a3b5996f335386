import NIOCore
import Synchronization

/// Turns an origin's connections away, as a crashed origin would, while its server keeps running:
/// once shut, a new connection is closed as it opens and an open one at its next request. (A
/// Hummingbird server that is stopped while clients still connect, as an edge's pulls do, traps
/// in NIOAsyncWriter's deinit; so test origins are shut, never stopped.)
final class ConnectionGate: Sendable {
    private let shut = Atomic<Bool>(false)

    var isShut: Bool { shut.load(ordering: .relaxed) }

    func close() { shut.store(true, ordering: .relaxed) }

    /// The handler to put in front of every connection's pipeline.
    func handler() -> Handler { Handler(gate: self) }

    final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny
        private let gate: ConnectionGate

        init(gate: ConnectionGate) { self.gate = gate }

        func channelActive(context: ChannelHandlerContext) {
            if gate.isShut { context.close(promise: nil) }
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if gate.isShut {
                context.close(promise: nil)
                return
            }
            context.fireChannelRead(data)
        }
    }
}
