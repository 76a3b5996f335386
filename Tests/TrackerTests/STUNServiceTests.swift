import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing
@testable import Tracker

/// The STUN responder on a real UDP socket: a Binding request gets the sender's address back.
@Suite struct STUNServiceTests {
    /// Collects the datagrams a client socket receives.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let received: AsyncStream<AddressedEnvelope<ByteBuffer>>.Continuation
        init(_ received: AsyncStream<AddressedEnvelope<ByteBuffer>>.Continuation) { self.received = received }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { received.yield(unwrapInboundIn(data)) }
    }

    @Test(.timeLimit(.minutes(1))) func aBindingRequestIsAnsweredWithTheSendersAddress() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let service = STUNService(host: "127.0.0.1", port: 0, group: group, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let (received, collect) = AsyncStream.makeStream(of: AddressedEnvelope<ByteBuffer>.self)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await service.run() }
            let port = try await service.boundPort()
            let client = try await DatagramBootstrap(group: group)
                .channelInitializer { $0.pipeline.addHandler(Collector(collect)) }
                .bind(host: "127.0.0.1", port: 0).get()
            let transaction: [UInt8] = Array(1...12)
            var request = ByteBuffer()
            request.writeInteger(UInt16(0x0001))
            request.writeInteger(UInt16(0))
            request.writeInteger(STUNBindingRequest.magicCookie)
            request.writeBytes(transaction)
            let server = try SocketAddress(ipAddress: "127.0.0.1", port: port)
            // Not STUN: no answer; then a Binding request.
            try await client.writeAndFlush(AddressedEnvelope(remoteAddress: server, data: ByteBuffer(bytes: [1, 2, 3])))
            try await client.writeAndFlush(AddressedEnvelope(remoteAddress: server, data: request))
            var answers = received.makeAsyncIterator()
            let answer = try #require(await answers.next())
            let local = try #require(client.localAddress)
            let expected = try #require(STUNBindingResponse.encode(STUNBindingRequest(transactionID: transaction), source: local))
            #expect(answer.data == expected)
            try await client.close()
            tasks.cancelAll()
        }
    }
}
