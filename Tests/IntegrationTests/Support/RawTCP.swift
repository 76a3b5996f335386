import NIOCore
import NIOPosix

/// A raw TCP client for hostile bytes: it writes what it is given and reports whether the server
/// closed the connection.
final class RawTCPClient {
    private let channel: any Channel
    private let received: Received

    private final class Received: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        var bytes = ByteBuffer()
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            bytes.writeBuffer(&buffer)
        }
    }

    init(port: Int) async throws {
        let received = Received()
        self.received = received
        channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(received) } }
            .connect(host: "127.0.0.1", port: port).get()
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// Sends hostile bytes the server may cut off midway: a write that fails because the server
    /// already closed is not an error here (``closedByServer(within:)`` tells what happened).
    /// Returns whether every byte was written.
    @discardableResult
    func sendUntilClosed(_ bytes: [UInt8]) async -> Bool {
        do {
            try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
            return true
        } catch {
            return false
        }
    }

    /// Bytes received so far (read on the channel's event loop).
    func receivedCount() async throws -> Int {
        try await channel.eventLoop.submit { self.received.bytes.readableBytes }.get()
    }

    /// Whether the server closed the connection within `timeout`.
    func closedByServer(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !channel.isActive { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !channel.isActive
    }

    /// Completes a simple RTMP handshake (RTMP spec §5.2): C0+C1, wait for S0+S1+S2, send C2.
    func handshake() async throws {
        try await send([3] + [UInt8](repeating: 0, count: 1536))
        let deadline = ContinuousClock.now + .seconds(5)
        while try await receivedCount() < 1 + 1536 * 2 {
            guard ContinuousClock.now < deadline else { throw TestFailure("no S0/S1/S2 from the server") }
            try await Task.sleep(for: .milliseconds(10))
        }
        try await send([UInt8](repeating: 0, count: 1536))
    }

    func close() async {
        try? await channel.close().get()
    }
}
