import NIOCore
import NIOPosix
import Testing
@testable import Delivery

/// A playback listener's connection that neither reads nor writes for the idle timeout is closed;
/// any byte starts the count again; a connection whose handlers were taken away (a WebSocket's) is
/// not timed. Real sockets on loopback, with a timeout of 300 ms.
@Suite struct IdleConnectionsTests {
    static let timeout = TimeAmount.milliseconds(300)

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
        for _ in 0..<10 {
            try await client.writeAndFlush(ByteBuffer(string: "x")).get()
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(client.isActive)
        #expect(await closed(client, within: .seconds(10)))
        try await server.close()
    }

    @Test func aConnectionWithoutItIsNotTimed() async throws {
        let (server, client) = try await connect(upgraded: true)
        #expect(await closed(client, within: .seconds(1)) == false)
        try await client.close()
        try await server.close()
    }
}
