import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Bytes written to a server as they are, and the responses read back as they come: for what a
/// client library hides (pipelining, a connection the server closes).
enum RawHTTP {
    struct Response {
        var status: Int
        /// Header names lowercased.
        var headers: [String: String]
        var body: [UInt8]
    }

    /// Writes `requests` in one go and reads until the server closes the connection (the last
    /// request should say `Connection: close`) or 30 s pass.
    static func exchange(port: Int, _ requests: String) async throws -> [Response] {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) } }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(string: requests)).get()
        let deadline = ContinuousClock.now + .seconds(30)
        while channel.isActive, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        try? await channel.close().get()
        return try parse(collector.bytes.withLockedValue { $0 })
    }

    static func parse(_ bytes: [UInt8]) throws -> [Response] {
        var responses: [Response] = []
        var rest = bytes[...]
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        while !rest.isEmpty {
            guard let end = rest.firstRange(of: separator) else { throw RawHTTPError("an incomplete response head") }
            let lines = String(decoding: rest[..<end.lowerBound], as: UTF8.self).split(separator: "\r\n")
            guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ")[1]) else { throw RawHTTPError("no status line") }
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                let pair = line.split(separator: ":", maxSplits: 1)
                headers[pair[0].lowercased()] = pair.count > 1 ? pair[1].trimmingCharacters(in: .whitespaces) : ""
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            rest = rest[end.upperBound...]
            guard rest.count >= length else { throw RawHTTPError("a body cut short") }
            responses.append(Response(status: status, headers: headers, body: Array(rest.prefix(length))))
            rest = rest.dropFirst(length)
        }
        return responses
    }

    /// Every byte a connection reads, in order.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let bytes = NIOLockedValueBox<[UInt8]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            bytes.withLockedValue { $0 += buffer.readableBytesView }
        }
    }

    struct RawHTTPError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
