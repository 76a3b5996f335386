import Foundation
import Ingest
import NIOCore
import NIOSSL
import Testing
import TestSupport

/// The RTMP ingest behind TLS, against real ffmpeg and raw peers. Serialized: each test runs
/// encoders, and the machine is small.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct RTMPSIngestTests {
    static let key = "s3cr3t-k3y-A"

    @Test func ffmpegPublishesOverTLS() async throws {
        let pair = try TestCertificate.make()
        let tls = try TLSCredentials(certificatePath: pair.certificatePath, keyPath: pair.keyPath)
        try await withIngest(tls: tls) { ingest in
            let result = try await ffmpegPublish(port: ingest.port, key: Self.key, scheme: "rtmps")
            #expect(result.status == 0, "ffmpeg failed: \(result.stderr)")
            #expect(try await eventually { ingest.sinks.all.first?.snapshot.closeCount == 1 })
            let state = try #require(ingest.sinks.all.first).snapshot
            #expect(state.media.filter { $0.kind == .video }.count >= 60, "3 s at 30 fps")
            let lines = ingest.logs.all
            #expect(lines.contains { $0.contains("RTMPS ingest listening") })
            #expect(lines.contains { $0.contains("RTMPS publish started") && $0.contains("channel=studio") })
            #expect(!lines.contains { $0.contains(Self.key) }, "the stream key is never logged")
        }
    }

    @Test func plainRTMPOnTheTLSPortIsRefused() async throws {
        let pair = try TestCertificate.make()
        let tls = try TLSCredentials(certificatePath: pair.certificatePath, keyPath: pair.keyPath)
        try await withIngest(tls: tls) { ingest in
            let result = try await ffmpegPublish(port: ingest.port, key: Self.key, seconds: 1)
            #expect(result.status != 0)
            #expect(ingest.sinks.all.isEmpty)
        }
    }

    @Test func garbageInsteadOfAClientHelloClosesOnlyItsConnection() async throws {
        let pair = try TestCertificate.make()
        let tls = try TLSCredentials(certificatePath: pair.certificatePath, keyPath: pair.keyPath)
        try await withIngest(tls: tls) { ingest in
            async let publish = ffmpegPublish(port: ingest.port, key: Self.key, seconds: 3, scheme: "rtmps")
            #expect(try await eventually { (ingest.sinks.all.first?.snapshot.media.count ?? 0) > 5 })

            let garbage = try await rawConnection(port: ingest.port, group: ingest.group)
            var noise = ByteBuffer()
            noise.writeString("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            noise.writeBytes((0..<2000).map { _ in UInt8.random(in: 0...255) })
            try await garbage.writeAndFlush(noise)
            #expect(await serverCloses(garbage, within: .seconds(3)), "not a TLS record")

            // A handshake record header that announces a ClientHello, then random bytes.
            let forged = try await rawConnection(port: ingest.port, group: ingest.group)
            noise = ByteBuffer(bytes: [0x16, 0x03, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFC])
            noise.writeBytes((0..<252).map { _ in UInt8.random(in: 0...255) })
            try await forged.writeAndFlush(noise)
            #expect(await serverCloses(forged, within: .seconds(3)), "a forged ClientHello")

            let result = try await publish
            #expect(result.status == 0, "the concurrent publish must carry on: \(result.stderr)")
            #expect(ingest.sinks.all.count == 1)
            let warnings = ingest.logs.all.filter { $0.hasPrefix("warning") }
            #expect(warnings.count == 2, "one line per bad connection: \(warnings)")
            #expect(warnings.allSatisfy { $0.contains("closing RTMPS connection: socket error: handshakeFailed") }, "\(warnings)")
        }
    }

    @Test func unfinishedHandshakeIsClosedAtTheTLSTimeout() async throws {
        let pair = try TestCertificate.make()
        let tls = try TLSCredentials(certificatePath: pair.certificatePath, keyPath: pair.keyPath)
        try await withIngest(configure: { $0.tlsHandshakeTimeout = .milliseconds(500) }, tls: tls) { ingest in
            let stalled = try await rawConnection(port: ingest.port, group: ingest.group)
            // The first bytes of a ClientHello record, and nothing more.
            try await stalled.writeAndFlush(ByteBuffer(bytes: [0x16, 0x03, 0x01, 0x02, 0x00, 0x01]))
            // Meanwhile another client completes its handshake.
            let other = try await TLSClient.connect(port: ingest.port, configuration: try pair.clientConfiguration(), group: ingest.group)
            #expect(await serverCloses(stalled, within: .seconds(3)), "closed by the TLS handshake timeout, not the RTMP one (10 s)")
            #expect(other.isActive, "the other connection stays")
            try await other.close()
            #expect(ingest.logs.all.contains { $0.contains("closing RTMPS connection: TLS handshake not completed within 500 ms") })
        }
    }

    @Test func reloadedCertificateServesNewConnectionsAndKeepsOpenOnes() async throws {
        let first = try TestCertificate.make(name: "first")
        let second = try TestCertificate.make(name: "second")
        let trustFirst = try first.clientConfiguration()
        let trustSecond = try second.clientConfiguration()
        let tls = try TLSCredentials(certificatePath: first.certificatePath, keyPath: first.keyPath)
        try await withIngest(tls: tls) { ingest in
            let open = try await TLSClient.connect(port: ingest.port, configuration: trustFirst, group: ingest.group)
            await #expect(throws: (any Error).self) {
                try await TLSClient.connect(port: ingest.port, configuration: trustSecond, group: ingest.group).close()
            }

            try second.install(over: first)
            try tls.reload()
            let renewed = try await TLSClient.connect(port: ingest.port, configuration: trustSecond, group: ingest.group)
            try await renewed.close()
            await #expect(throws: (any Error).self) {
                try await TLSClient.connect(port: ingest.port, configuration: trustFirst, group: ingest.group).close()
            }
            #expect(open.isActive, "a connection made before the reload goes on")
            try await open.close()

            // A broken file is refused and the current pair stays.
            try "not a certificate".write(toFile: first.certificatePath, atomically: true, encoding: .utf8)
            #expect(throws: IngestError.self) { try tls.reload() }
            let still = try await TLSClient.connect(port: ingest.port, configuration: trustSecond, group: ingest.group)
            try await still.close()
        }
    }
}
