import AntenneServer
import Control
import Delivery
import Foundation
import Manifests
import Testing
import TestSupport

/// Playback authorisation with HMAC-signed URLs, end to end: a token channel of the control plane
/// (SQLite or PostgreSQL) next to a configured public one, real ffmpeg publishing over RTMP, real
/// ffmpeg and ffprobe reading through signed URLs only.
@Suite(.serialized) struct SignedPlaybackTests {
    static let keys = try! PlaybackKeys(specs: [
        "2024-12:1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100",
        "2025-01:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    ])

    static func decode(_ url: String, seconds: Int = 4) async throws -> (status: Int32?, video: Int, audio: Int, output: String) {
        // framecrc decodes every frame and prints one line per frame: "0, …" video, "1, …" audio.
        let (status, output) = try await ChildProcess.run("ffmpeg", [
            "-hide_banner", "-v", "error", "-nostdin", "-i", url,
            "-map", "0:v:0", "-map", "0:a:0", "-t", "\(seconds)", "-f", "framecrc", "-",
        ], timeout: .seconds(60))
        let lines = output.split(separator: "\n")
        return (status, lines.filter { $0.hasPrefix("0,") }.count, lines.filter { $0.hasPrefix("1,") }.count, output)
    }

    @Test(arguments: Backend.allCases)
    func tokenChannelPlaysThroughSignedURLsOnly(database: Backend) async throws {
        let log = LogCapture()
        let server = try await TestServer.start(channels: [("open1", "key-open1-secret")], database: database, logger: log.logger()) {
            $0.playbackKeys = Self.keys
        }
        let store = try #require(server.server.controlStore)
        let organisation = try await store.createOrganisation(name: "Broadcaster", scope: .serverAdmin)
        let channel = try await store.createChannel(
            organisation: organisation.id, NewChannel(name: "sealed", visibility: .token), scope: .serverAdmin)
        let key = try await store.createStreamKey(channel: channel.id, label: "main", scope: .serverAdmin)
        let sealedPublisher = try Publisher.start(url: server.publishURL(key: key.secret.value))
        defer { sealedPublisher.kill() }
        let openPublisher = try Publisher.start(url: server.publishURL(key: "key-open1-secret"))
        defer { openPublisher.kill() }

        let signer = try PlaybackSigner(keys: Self.keys)
        let now = Int64(Date().timeIntervalSince1970)
        let valid = try signer.sign(channel: "sealed", expiresAt: now + 600, session: "integration-viewer")
        // Signed with the older key, still configured: rotation keeps old links working.
        let older = try PlaybackSigner(keys: PlaybackKeys([Self.keys.keys[0]])).sign(channel: "sealed", expiresAt: now + 600)
        let expired = try signer.sign(channel: "sealed", expiresAt: now - 5)
        let forOtherChannel = try signer.sign(channel: "open1", expiresAt: now + 600)
        var tamperedBytes = Array(valid.utf8)
        let middle = tamperedBytes.count / 2
        tamperedBytes[middle] = tamperedBytes[middle] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        let tampered = String(decoding: tamperedBytes, as: UTF8.self)
        let tokens = [valid, older, expired, forOtherChannel, tampered]

        // The public channel next to it needs no token.
        let openMaster = try await HTTP.waitFor(server.url("hls/open1/master.m3u8"))
        #expect(openMaster.header("Cache-Control") == "public, max-age=2")
        #expect(!openMaster.text.contains("token"))

        let masterURL = server.url("hls/sealed/master.m3u8?token=\(valid)")
        let master = try await HTTP.waitFor(masterURL)
        #expect(master.header("Cache-Control") == "private, max-age=2")

        // Refusals: 401 without a token, 403 tampered or for another channel, 410 expired.
        let bare = try await HTTP.get(server.url("hls/sealed/master.m3u8"))
        #expect(bare.status == 401)
        #expect(bare.text.contains("token is required"))
        #expect(bare.header("Cache-Control") == "no-store")
        for (token, status) in [(tampered, 403), (forOtherChannel, 403), (expired, 410)] {
            let refused = try await HTTP.get(server.url("hls/sealed/master.m3u8?token=\(token)"))
            #expect(refused.status == status, "\(refused.text)")
            #expect(refused.header("Cache-Control") == "no-store")
        }
        #expect(try await HTTP.get(server.url("hls/sealed/master.m3u8?token=\(older)")).status == 200)
        #expect(try await HTTP.get(server.url("watch/sealed")).status == 200, "the page holds no token and needs none")

        // Let a few segments complete, then follow the derived URLs as a player does: every one
        // carries the token, and the media they lead to decodes.
        try await Task.sleep(for: .seconds(5))
        let multivariant = try MultivariantPlaylist.parse(try await HTTP.get(masterURL).text)
        let playlistURIs = multivariant.variants.map(\.uri) + multivariant.renditions.compactMap(\.uri)
        #expect(playlistURIs.count == 2)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-signed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for uri in playlistURIs {
            #expect(uri.hasSuffix("?token=\(valid)"), "\(uri)")
            let playlistURL = try #require(URL(string: uri, relativeTo: URL(string: masterURL)!)).absoluteURL
            let response = try await HTTP.get(playlistURL.absoluteString)
            #expect(response.status == 200)
            #expect(response.header("Cache-Control") == "private, max-age=1")
            let media = try MediaPlaylist.parse(response.text)
            let derived = media.segments.map(\.uri) + media.segments.compactMap { $0.map?.uri } + media.segments.flatMap { $0.parts.map(\.uri) }
                + [media.preloadHint?.uri].compactMap { $0 } + media.renditionReports.map(\.uri)
            #expect(derived.count > 6)
            #expect(derived.allSatisfy { $0.hasSuffix("?token=\(valid)") }, "\(derived.filter { !$0.hasSuffix("?token=\(valid)") })")

            let initURI = try #require(media.segments.last?.map?.uri)
            func fetch(_ uri: String) async throws -> Data {
                let url = try #require(URL(string: uri, relativeTo: playlistURL)).absoluteString
                let result = try await HTTP.get(url)
                #expect(result.status == 200, "\(uri)")
                return result.body
            }
            var file = try await fetch(initURI)
            let segments = media.segments.suffix(2)
            #expect(segments.count == 2)
            for segment in segments { file.append(try await fetch(segment.uri)) }
            let part = try #require(media.segments.last?.parts.first?.uri)
            #expect(try await fetch(part).count > 0)
            // The same segment without the token is refused.
            let unsigned = try #require(URL(string: String(segments.last!.uri.split(separator: "?")[0]), relativeTo: playlistURL))
            #expect(try await HTTP.get(unsigned.absoluteString).status == 401)

            let path = directory.appendingPathComponent("\(playlistURL.deletingLastPathComponent().lastPathComponent).mp4").path
            try file.write(to: URL(fileURLWithPath: path))
            let (status, probe) = try await ChildProcess.run("ffprobe", [
                "-v", "error", "-count_frames", "-show_entries", "stream=codec_name,nb_read_frames", "-of", "default=nw=1", path,
            ])
            #expect(status == 0, "\(probe)")
            if probe.contains("codec_name=h264") {
                #expect(probe.contains("nb_read_frames=120"), "two 2 s segments at 30 fps: \(probe)")
            } else {
                #expect(probe.contains("codec_name=aac"), "\(probe)")
            }
        }

        // Blocking playlist reload next to the token.
        let sourceURL = server.url("hls/sealed/source/index.m3u8")
        let current = try MediaPlaylist.parse(try await HTTP.get("\(sourceURL)?token=\(valid)").text)
        let next = current.nextMediaSequence
        let blocked = try await HTTP.get("\(sourceURL)?_HLS_msn=\(next)&_HLS_part=0&token=\(valid)")
        #expect(blocked.status == 200)
        #expect(blocked.text.contains("\(next).0.m4s?token=\(valid)"))

        // ffmpeg plays and decodes video and audio through the signed multivariant URL.
        let played = try await Self.decode(masterURL)
        #expect(played.status == 0, "\(played.output.suffix(2_000))")
        #expect((115...125).contains(played.video), "4 s at 30 fps, got \(played.video) video frames")
        #expect(played.audio >= 150, "4 s at 48 kHz in 1024-sample frames, got \(played.audio) audio frames")
        // And not with a tampered, an expired or a missing token.
        for url in [server.url("hls/sealed/master.m3u8?token=\(tampered)"), server.url("hls/sealed/master.m3u8?token=\(expired)"),
                    server.url("hls/sealed/master.m3u8")] {
            let refused = try await Self.decode(url, seconds: 1)
            #expect(refused.status != nil && refused.status != 0, "\(url)")
            #expect(refused.video == 0)
        }
        // The public channel plays without one.
        let open = try await Self.decode(server.url("hls/open1/master.m3u8"), seconds: 2)
        #expect(open.status == 0 && open.video > 50, "\(open.output.suffix(1_000))")

        #expect(sealedPublisher.isRunning && openPublisher.isRunning)
        try await server.stop()

        // No log line, at any level, holds a token or its MAC.
        let logged = log.text
        #expect(log.count > 0)
        #expect(logged.contains("playback refused"), "refusals are logged (with their reason)")
        for token in tokens {
            let leaks = logged.split(separator: "\n").filter { $0.contains(token) || $0.contains(token.suffix(24)) }
            #expect(leaks.isEmpty, "log lines holding a token: \(leaks.prefix(5))")
        }
    }

    /// A token channel without a playback key cannot start.
    @Test func tokenChannelWithoutKeyIsAStartupError() async throws {
        var config = ServerConfiguration()
        config.channels = [ServerConfiguration.Channel(name: "sealed", streamKey: "key-sealed-secret", visibility: .token)]
        let error = #expect(throws: ServerError.self) { try AntenneServer(configuration: config, logger: LogCapture().logger()) }
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.contains("'sealed'") && message.contains("no playback key is configured"), "\(message)")
    }
}
