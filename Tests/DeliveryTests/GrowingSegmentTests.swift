import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Packager
import Testing
@testable import Delivery

/// Low-latency DASH's side of a segment URL: the segment being written answers 200 at once and
/// grows, chunked, until it closes; the next one waits for its first part; the finished bytes are
/// the complete segment's.
@Suite(.serialized) struct GrowingSegmentTests {
    /// The channel, its routes behind a loopback server, and the open segment's number.
    static func withServer(_ body: @escaping @Sendable (LiveChannelFixture, Int, Int) async throws -> Void) async throws {
        let registry = PackagerRegistry()
        let fixture = try await LiveChannelFixture(name: "open", registry: registry)
        defer { fixture.stop() }
        let routes = PlaybackRoutes(packagers: registry, now: { LiveChannelFixture.now })
        try await PlaybackServer.serve(routes) { client in
            let port = try #require(client.port)
            let snapshot = try #require(fixture.packager.listedRendition(named: "source")?.snapshot())
            let open = try #require(snapshot.segments.last)
            try #require(!open.isComplete && !open.parts.isEmpty, "the fixture keeps a segment open")
            try await body(fixture, port, open.msn)
        }
    }

    @Test func theSegmentBeingWrittenStreamsUntilItCloses() async throws {
        try await Self.withServer { fixture, port, msn in
            let rendition = try #require(fixture.packager.listedRendition(named: "source"))
            let reader = try await StreamingGet(port: port, path: "/hls/open/source/\(msn).m4s")
            // The head and the parts held so far come while the segment is still open.
            let head = try await reader.head()
            #expect(head.status == 200)
            #expect(head.headers["transfer-encoding"] == "chunked")
            #expect(head.headers["content-length"] == nil)
            #expect(head.headers["etag"] == nil)
            #expect(head.headers["cache-control"] == CachePolicy.immutable)
            let held = rendition.part(msn: msn, index: 0)!.readableBytes
            try await reader.waitForBody(atLeast: held)
            #expect(rendition.segment(msn: msn) == nil, "the first bytes came before the segment was complete")
            try await fixture.feed(seconds: 24..<26)
            let body = try await reader.finished()
            let whole = try #require(rendition.segment(msn: msn))
            #expect(body == whole.flatMap { Array($0.readableBytesView) })
        }
    }

    @Test func theNextSegmentWaitsForItsFirstPart() async throws {
        try await Self.withServer { fixture, port, msn in
            let rendition = try #require(fixture.packager.listedRendition(named: "source"))
            let reader = try await StreamingGet(port: port, path: "/hls/open/source/\(msn + 1).m4s")
            try await Task.sleep(for: .milliseconds(200))
            #expect(reader.received.isEmpty, "nothing is sent before the segment begins")
            try await fixture.feed(seconds: 24..<28)
            let head = try await reader.head()
            #expect(head.status == 200)
            let body = try await reader.finished()
            let whole = try #require(rendition.segment(msn: msn + 1))
            #expect(body == whole.flatMap { Array($0.readableBytesView) })
        }
    }

    @Test func segmentsFurtherAheadAreNotFound() async throws {
        try await Self.withServer { _, port, msn in
            let reader = try await StreamingGet(port: port, path: "/hls/open/source/\(msn + 2).m4s")
            #expect(try await reader.head().status == 404)
        }
    }

    /// A complete segment keeps its length and entity tag.
    @Test func completeSegmentsAreServedWhole() async throws {
        try await Self.withServer { _, port, msn in
            let reader = try await StreamingGet(port: port, path: "/hls/open/source/\(msn - 1).m4s")
            let head = try await reader.head()
            #expect(head.status == 200 && head.headers["content-length"] != nil && head.headers["etag"] != nil)
            #expect(head.headers["transfer-encoding"] == nil)
        }
    }
}

/// One `GET … HTTP/1.1` with `Connection: close` over a raw socket, read as it arrives: its head,
/// and its body decoded from chunked transfer coding (RFC 9112 §7.1) or taken whole.
final class StreamingGet: Sendable {
    struct Head {
        var status: Int
        /// Names lowercased.
        var headers: [String: String]
        /// Bytes of the response before the body.
        var length: Int
    }

    private let collector = RawHTTP.Collector()
    private let channel: any Channel

    init(port: Int, path: String) async throws {
        let collector = collector
        channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) } }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: antenne\r\nConnection: close\r\n\r\n")).get()
    }

    var received: [UInt8] { collector.bytes.withLockedValue { $0 } }

    /// The head, once it has come (within 20 s).
    func head() async throws -> Head {
        try await until { Self.head(of: self.received) != nil }
        return Self.head(of: received)!
    }

    /// Waits until `count` bytes of the (decoded) body have come.
    func waitForBody(atLeast count: Int) async throws {
        try await until { ((try? self.body(requireEnd: false))?.count ?? 0) >= count }
    }

    /// The whole body, once the server has closed the connection.
    func finished() async throws -> [UInt8] {
        try await until { !self.channel.isActive }
        return try body(requireEnd: true)
    }

    private func until(_ condition: @Sendable () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw RawHTTP.RawHTTPError("timed out; received \(received.count) bytes") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    private func body(requireEnd: Bool) throws -> [UInt8] {
        let bytes = received
        guard let head = Self.head(of: bytes) else { throw RawHTTP.RawHTTPError("no head") }
        var rest = bytes[head.length...]
        guard head.headers["transfer-encoding"] == "chunked" else { return Array(rest) }
        var body: [UInt8] = []
        while true {
            guard let line = rest.firstRange(of: Array("\r\n".utf8)) else { break }
            guard let size = Int(String(decoding: rest[..<line.lowerBound], as: UTF8.self), radix: 16) else { throw RawHTTP.RawHTTPError("bad chunk size") }
            if size == 0 { return body }
            let start = line.upperBound
            guard rest.endIndex >= start + size + 2 else { break }
            body += rest[start..<(start + size)]
            rest = rest[(start + size + 2)...]
        }
        if requireEnd { throw RawHTTP.RawHTTPError("the body ended without its last chunk") }
        return body
    }

    private static func head(of bytes: [UInt8]) -> Head? {
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let lines = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).split(separator: "\r\n")
        guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ")[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let pair = line.split(separator: ":", maxSplits: 1)
            headers[pair[0].lowercased()] = pair.count > 1 ? pair[1].trimmingCharacters(in: .whitespaces) : ""
        }
        return Head(status: status, headers: headers, length: end.upperBound)
    }
}
