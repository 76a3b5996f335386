import AsyncHTTPClient
import Control
import Foundation
import Manifests
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import Testing
import TestSupport
@testable import AntenneServer

/// The P2P tracker on the HTTPS listener (issue 17): a player of an `https://` page reaches the
/// tracker as `wss://` (RFC 6455 §3), over an HTTP/1.1 connection that ALPN chose; the digests
/// answer over HTTP/2 as well. And the channel's `p2p` setting reaches the running channel at once.
@Suite(.serialized) struct HTTPSTrackerTests {
    static let key = "key-live1-secret"

    @Test(.bug(id: "p2p-https", "issue 17: the tracker answered on the HTTP listener only, so players of an HTTPS page had no P2P"))
    func aPeerJoinsTheSwarmOverTLSAndTheDigestsAnswerOverHTTP2() async throws {
        let pair = try TestCertificate.make()
        let server = try await TestServer.start { config in
            config.tls = .init(certificate: pair.certificatePath, key: pair.keyPath)
            config.httpsPort = 0
            config.rtmpsPort = 0
        }
        let https = try #require(server.server.tlsPorts?.https)
        let publisher = try Publisher.start(url: "rtmp://127.0.0.1:\(server.rtmp)/live/\(Self.key)")
        defer { publisher.kill() }
        let master = try await HTTP.waitFor(server.url("hls/live1/master.m3u8"))
        let variant = try #require(try MultivariantPlaylist.parse(master.text).variants.first)
        let rendition = try #require(variant.uri.split(separator: "/").first.map(String.init))

        // Off, as every channel is unless asked; turned on through the control plane, it applies
        // to the running channel within the control-plane follower's wake-up, not its 2 s poll.
        let digests = server.url("p2p/live1/\(rendition)/digests.json")
        #expect(try await HTTP.get(digests).status == 404)
        let store = try #require(server.server.controlStore)
        let channel = try #require(try await store.channel(named: "live1"))
        _ = try await store.updateChannel(id: channel.id, ChannelUpdate(p2p: true), scope: .serverAdmin)
        let turnedOn = ContinuousClock.now
        while try await HTTP.get(digests).status != 200 {
            try #require(ContinuousClock.now - turnedOn < .seconds(1), "P2P not on a second after the update")
            try await Task.sleep(for: .milliseconds(20))
        }
        // Encrypted, it has none, whatever its setting: peers' objects are checked against the
        // digests of the clear bytes.
        for (encryption, status) in [(EncryptionSettings(enabled: true), 404), (.disabled, 200)] {
            _ = try await store.updateChannel(id: channel.id, ChannelUpdate(encryption: encryption), scope: .serverAdmin)
            let changed = ContinuousClock.now
            while try await HTTP.get(digests).status != status {
                try #require(ContinuousClock.now - changed < .seconds(10), "digests not \(status) with encryption \(encryption)")
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        // ALPN offered both: HTTP/1.1 chosen, as a browser's WebSocket connection does.
        let tls = try await TLSClient.connect(
            port: https, configuration: try pair.clientConfiguration(applicationProtocols: ["http/1.1"]),
            group: MultiThreadedEventLoopGroup.singleton)
        let received = Received()
        try await tls.pipeline.addHandler(received).get()
        let upgrade = "GET /p2p/live1/\(rendition) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try await tls.writeAndFlush(ByteBuffer(string: upgrade)).get()
        let deadline = ContinuousClock.now + .seconds(10)
        while !received.text.contains(#""t":"welcome""#), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(received.text.hasPrefix("HTTP/1.1 101"), "\(received.text)")
        // RFC 6455 §1.3: the accept value of the sample nonce.
        #expect(received.text.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
        #expect(received.text.contains(#""t":"welcome""#), "\(received.text)")
        try await tls.close()

        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = try pair.clientConfiguration()
        configuration.httpVersion = .automatic
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        do {
            let response = try await client.execute(
                HTTPClientRequest(url: "https://127.0.0.1:\(https)/p2p/live1/\(rendition)/digests.json"), timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            #expect(response.status == .ok)
            #expect(response.version.major == 2)
            #expect(String(buffer: body).contains(".m4s\":\""))
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        publisher.kill()
        try await server.stop()
    }
}

/// What a connection received, as text.
private final class Received: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    private let bytes = Mutex<[UInt8]>([])

    var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        bytes.withLock { $0 += buffer.readableBytesView }
    }
}
