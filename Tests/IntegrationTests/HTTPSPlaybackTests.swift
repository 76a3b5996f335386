import AsyncHTTPClient
import Events
import Foundation
import Logging
import Manifests
import NIOCore
import NIOPosix
import NIOSSL
import Testing
import TestSupport
@testable import AntenneServer

/// HTTPS and RTMPS (issues: RTMPS ingest; HTTPS and HTTP/2 on the playback listener): an
/// encoder publishes over RTMPS, and the playback path answers over HTTPS with HTTP/1.1 and
/// HTTP/2 alike; hostile handshakes close only their own connection; SIGHUP's reload swaps the
/// certificate for new connections.
@Suite(.serialized) struct HTTPSPlaybackTests {
    static let key = "key-live1-secret"

    /// A server with a certificate, its TLS listeners on free ports.
    func start(_ pair: TestCertificate, logs: LogCapture? = nil, configure: (inout ServerConfiguration) -> Void = { _ in })
        async throws -> (server: TestServer, https: Int, rtmps: Int)
    {
        let server = try await TestServer.start(logger: logs?.logger(label: "antenne.test")) { config in
            config.tls = .init(certificate: pair.certificatePath, key: pair.keyPath)
            config.httpsPort = 0
            config.rtmpsPort = 0
            configure(&config)
        }
        let ports = try #require(server.server.tlsPorts, "readiness waits for the TLS listeners")
        return (server, ports.https, ports.rtmps)
    }

    /// A client trusting `pair` only, speaking `version` (`.automatic` negotiates HTTP/2 by ALPN).
    func client(trusting pair: TestCertificate, version: HTTPClient.Configuration.HTTPVersion) throws -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = try pair.clientConfiguration()
        configuration.httpVersion = version
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    func get(_ client: HTTPClient, _ url: String) async throws -> (response: HTTPClientResponse, body: ByteBuffer) {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(20))
        return (response, try await response.body.collect(upTo: 16 * 1024 * 1024))
    }

    @Test func rtmpsPublishPlaysOverHTTP1AndHTTP2() async throws {
        let pair = try TestCertificate.make()
        let logs = LogCapture()
        let (server, https, rtmps) = try await start(pair, logs: logs)
        let publisher = try Publisher.start(url: "rtmps://127.0.0.1:\(rtmps)/live/\(Self.key)")
        defer { publisher.kill() }
        _ = try await HTTP.waitFor(server.url("hls/live1/master.m3u8"))
        try await Task.sleep(for: .seconds(3))
        #expect(logs.all.contains { $0.contains("RTMPS publish started") && $0.contains("channel=live1") })

        for (version, major) in [(HTTPClient.Configuration.HTTPVersion.http1Only, 1), (.automatic, 2)] {
            let client = try client(trusting: pair, version: version)
            do {
                let base = "https://127.0.0.1:\(https)/hls/live1"
                let master = try await get(client, "\(base)/master.m3u8")
                #expect(master.response.status == .ok)
                #expect(master.response.version.major == major, "HTTP/\(major) expected, got \(master.response.version)")
                #expect(master.response.headers.first(name: "content-type") == "application/vnd.apple.mpegurl")
                let multivariant = try MultivariantPlaylist.parse(String(buffer: master.body))
                let variant = try #require(multivariant.variants.first)

                let playlist = try await get(client, "\(base)/\(variant.uri)")
                #expect(playlist.response.status == .ok)
                #expect(playlist.response.version.major == major)
                let media = try MediaPlaylist.parse(String(buffer: playlist.body))
                let directory = variant.uri.split(separator: "/").dropLast().joined(separator: "/")
                let parts = media.segments.flatMap(\.parts).suffix(3)
                #expect(parts.count == 3)
                for part in parts {
                    let answer = try await get(client, "\(base)/\(directory)/\(part.uri)")
                    #expect(answer.response.status == .ok, "part \(part.uri)")
                    #expect(answer.response.version.major == major)
                    #expect(answer.body.readableBytes > 0)
                    #expect(answer.response.headers.first(name: "content-length") == "\(answer.body.readableBytes)")
                }
                // A request held at the live edge (the next part) does not hold up the others:
                // over HTTP/2 they share the connection.
                let hint = try #require(media.preloadHint?.uri)
                let pieces = hint.dropLast(4).split(separator: ".").compactMap { Int($0) }
                try #require(pieces.count == 2)
                async let held = get(client, "\(base)/\(directory)/index.m3u8?_HLS_msn=\(pieces[0])&_HLS_part=\(pieces[1])")
                let initSegment = try await get(client, "\(base)/\(directory)/init.mp4")
                #expect(initSegment.response.status == .ok)
                let blocked = try await held
                #expect(blocked.response.status == .ok)
                // The part it waited for, or the next segment's first if the key frame closed the
                // segment before that part (RFC 8216bis §6.2.5.2).
                let heldText = String(buffer: blocked.body)
                #expect(heldText.contains("URI=\"\(hint)\"") || heldText.contains("URI=\"\(pieces[0] + 1).0.m4s\""),
                        "the held playlist lists the part it waited for")
                // The application behind the playback handler answers on the same listener.
                let ready = try await get(client, "https://127.0.0.1:\(https)/readyz")
                #expect(ready.response.status == .ok)
                #expect(ready.response.version.major == major)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
        publisher.kill()
        try await server.stop()
    }

    @Test func theAdmissionHookIsToldThePublishCameOverRTMPS() async throws {
        let pair = try TestCertificate.make()
        let receiver = try await WebhookReceiver.start(answering: [403])
        let (server, _, rtmps) = try await start(pair) {
            $0.admissionHook = AdmissionHookConfiguration(url: receiver.url, timeout: .seconds(2), secret: nil)
        }
        let refused = try Publisher.start(url: "rtmps://127.0.0.1:\(rtmps)/live/\(Self.key)", seconds: 2)
        #expect(await refused.wait(timeout: .seconds(20)) != 0, "the hook refused it")
        let asked = try #require(receiver.received.first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(asked.body.utf8)) as? [String: Any])
        #expect(json["protocol"] as? String == "rtmps")
        await receiver.stop()
        try await server.stop()
    }

    @Test func hostileHandshakesCloseOnlyTheirConnection() async throws {
        let pair = try TestCertificate.make()
        let logs = LogCapture()
        let (server, https, _) = try await start(pair, logs: logs) { $0.tlsHandshakeTimeout = .milliseconds(500) }
        let client = try client(trusting: pair, version: .automatic)
        do {
            let garbage = try await RawTCPClient(port: https)
            await garbage.sendUntilClosed(Array("GET /hls/live1/master.m3u8 HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            #expect(await garbage.closedByServer(within: .seconds(3)), "plain HTTP on the TLS port")

            let stalled = try await RawTCPClient(port: https)
            try await stalled.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])
            let health = try await get(client, "https://127.0.0.1:\(https)/healthz")
            #expect(health.response.status == .ok, "another connection is served meanwhile")
            #expect(await stalled.closedByServer(within: .seconds(3)), "closed by the TLS handshake timeout")
            #expect(logs.all.contains { $0.contains("closing HTTPS connection: TLS handshake not completed within 500 ms") })
            let again = try await get(client, "https://127.0.0.1:\(https)/healthz")
            #expect(again.response.status == .ok)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        try await server.stop()
    }

    @Test func reloadServesTheNewCertificateAndKeepsTheOldOnABadFile() async throws {
        let first = try TestCertificate.make(name: "first")
        let second = try TestCertificate.make(name: "second")
        let trustFirst = try first.clientConfiguration()
        let trustSecond = try second.clientConfiguration()
        let logs = LogCapture()
        let installed = try TestCertificate.make(name: "first")
        try first.install(over: installed)
        let (server, https, rtmps) = try await start(installed, logs: logs)
        let group = MultiThreadedEventLoopGroup.singleton
        let open = try await TLSClient.connect(port: https, configuration: trustFirst, group: group)

        try "-----BEGIN CERTIFICATE-----\nbroken\n".write(toFile: installed.certificatePath, atomically: true, encoding: .utf8)
        #expect(!server.server.reloadCertificates())
        #expect(logs.all.filter { $0.contains("TLS certificate not reloaded, the current one stays") }.count == 1)
        try await TLSClient.connect(port: https, configuration: trustFirst, group: group).close()

        try second.install(over: installed)
        #expect(server.server.reloadCertificates())
        for port in [https, rtmps] {
            try await TLSClient.connect(port: port, configuration: trustSecond, group: group).close()
            await #expect(throws: (any Error).self, "port \(port) still presents the old certificate") {
                try await TLSClient.connect(port: port, configuration: trustFirst, group: group).close()
            }
        }
        #expect(open.isActive, "a connection made before the reload goes on")
        try await open.close()
        try await server.stop()
    }

    @Test func withoutACertificateNeitherTLSListenerStarts() async throws {
        let logs = LogCapture()
        let server = try await TestServer.start(logger: logs.logger(label: "antenne.test"))
        #expect(server.server.tlsPorts == nil)
        #expect(server.server.isReady)
        #expect(logs.all.filter { $0.contains("TLS is off") }.count == 1)
        try await server.stop()
    }

    @Test func missingCertificateIsAStartupError() throws {
        let pair = try TestCertificate.make()
        var config = ServerConfiguration()
        config.tls = .init(certificate: pair.certificatePath + ".gone", key: pair.keyPath)
        let error = #expect(throws: (any Error).self) { try AntenneServer(configuration: config, logger: Logger(label: "test")) }
        #expect("\(error.map { "\($0)" } ?? "")" == "TLS certificate or key \(pair.certificatePath).gone: no such file")
    }

    @Test func flagsOverrideTheFileForTLS() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-config-\(UUID().uuidString).json").path
        try #"{ "httpsPort": 9443, "rtmpsPort": 9936, "tlsCert": "/file/cert.pem", "tlsKey": "/file/key.pem" }"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try ServeCommand.parse(["--config", path]).makeConfiguration()
        #expect(fromFile.httpsPort == 9443)
        #expect(fromFile.rtmpsPort == 9936)
        #expect(fromFile.tls == ServerConfiguration.TLSFiles(certificate: "/file/cert.pem", key: "/file/key.pem"))
        let flags = try ServeCommand.parse(["--config", path, "--https-port", "443", "--tls-cert", "/flag/cert.pem", "--tls-key", "/flag/key.pem"])
            .makeConfiguration()
        #expect(flags.httpsPort == 443)
        #expect(flags.tls == ServerConfiguration.TLSFiles(certificate: "/flag/cert.pem", key: "/flag/key.pem"))
        let defaults = try ServeCommand.parse([]).makeConfiguration()
        #expect(defaults.httpsPort == 8443 && defaults.rtmpsPort == 1936 && defaults.tls == nil)
        #expect(throws: (any Error).self) { try ServeCommand.parse(["--tls-cert", "/flag/cert.pem"]).makeConfiguration() }
    }
}
