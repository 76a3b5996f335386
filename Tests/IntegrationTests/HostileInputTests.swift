import Foundation
import Manifests
import Testing

/// g. Malformed bytes on the RTMP port close only that connection; the live channel keeps playing.
@Suite struct HostileInputTests {
    /// What is checked is that the server closes, not how fast: the whole suite on two cores has
    /// kept a close waiting past 5 s.
    static let closeWithin: Duration = .seconds(20)

    @Test func malformedRTMPClosesOnlyThatConnection() async throws {
        // Long enough for a legitimate handshake while the whole suite loads two cores (3 s was
        // not), short enough for the stall below to be closed within `closeWithin`.
        let server = try await TestServer.start { $0.rtmpHandshakeTimeout = .seconds(10) }
        let publisher = try Publisher.start(url: server.publishURL(key: "key-live1-secret"))
        defer { publisher.kill() }
        _ = try await HTTP.waitFor(server.url("hls/live1/master.m3u8"))
        let before = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/live1/source/index.m3u8")).text)

        // Random data: not even an RTMP version byte.
        let random = try await RawTCPClient(port: server.rtmp)
        var generator = SystemRandomNumberGenerator()
        await random.sendUntilClosed([0x47] + (0..<4095).map { _ in UInt8.random(in: 0...255, using: &generator) })
        #expect(await random.closedByServer(within: Self.closeWithin), "random bytes")

        // A Set Chunk Size of 2^31-1 (RTMP spec §5.4.1), far above the limit.
        let chunkSize = try await RawTCPClient(port: server.rtmp)
        try await chunkSize.handshake()
        await chunkSize.sendUntilClosed([0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF])
        #expect(await chunkSize.closedByServer(within: Self.closeWithin), "huge chunk size")

        // A video message announcing 16 MiB - 1 bytes, over the message-length limit.
        let messageLength = try await RawTCPClient(port: server.rtmp)
        try await messageLength.handshake()
        await messageLength.sendUntilClosed([0x06, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x09, 1, 0, 0, 0] + [UInt8](repeating: 0x17, count: 128))
        #expect(await messageLength.closedByServer(within: Self.closeWithin), "huge message length")

        // A handshake that stalls after C0.
        let stalled = try await RawTCPClient(port: server.rtmp)
        await stalled.sendUntilClosed([3])
        #expect(await stalled.closedByServer(within: Self.closeWithin), "stalled handshake")

        // The channel kept going all along.
        try await Task.sleep(for: .seconds(2))
        let after = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/live1/source/index.m3u8")).text)
        #expect(after.nextMediaSequence > before.nextMediaSequence)
        #expect(!after.segments.contains { $0.discontinuity })
        #expect(publisher.isRunning, "\(publisher.text)")
        try await server.stop()
    }
}
