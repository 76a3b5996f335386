import NIOCore
import NIOPosix
import Testing
@testable import Delivery

/// A playback listener's connection that neither reads nor writes for the idle timeout is closed;
/// any byte starts the count again; a connection whose handlers were taken away (a WebSocket's) is
/// not timed. Real sockets on loopback, with a timeout of 2 s.
@Suite struct IdleConnectionsTests {
    static let timeout = TimeAmount.seconds(2)

    /// A listener whose connections start with ``IdleConnections``, taken away again when
    /// `upgraded`; and a client connected to it.
    func connect(upgraded: Bool = false) async throws -> (server: any Channel, client: any Channel) {
        let group = MultiThreadedEventLoopGroup.singleton
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try IdleConnections.add(to: channel.pipeline.syncOperations, timeout: Self.timeout)
                    if upgraded { IdleConnections.remove(from: channel.pipeline) }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let client = try await ClientBootstrap(group: group).connect(to: server.localAddress!).get()
        return (server, client)
    }

    /// Whether the server closes `client` within `limit`.
    func closed(_ client: any Channel, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while client.isActive, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return !client.isActive
    }

    @Test func aSilentConnectionIsClosed() async throws {
        let (server, client) = try await connect()
        #expect(await closed(client, within: .seconds(10)))
        try await server.close()
    }

    @Test func bytesKeepItOpenUntilTheyStop() async throws {
        let (server, client) = try await connect()
        // A byte every 100 ms for 3 s, from the client's event loop: longer than the timeout, and
        // never idle for it.
        let writer = client.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(100)) { _ in
            client.writeAndFlush(ByteBuffer(string: "x"), promise: nil)
        }
        try await Task.sleep(for: .seconds(3))
        #expect(client.isActive)
        writer.cancel()
        #expect(await closed(client, within: .seconds(10)))
        try await server.close()
    }

    @Test func aConnectionWithoutItIsNotTimed() async throws {
        let (server, client) = try await connect(upgraded: true)
        #expect(await closed(client, within: .seconds(4)) == false)
        try await client.close()
        try await server.close()
    }
}
