import Foundation
import Manifests
import Testing

/// The live spine end to end (issue: RTMP ingest to LL-HLS): real ffmpeg publishes H.264 with
/// B-frames and AAC over RTMP; real ffmpeg and ffprobe read what Antenne serves.
@Suite(.serialized) struct LiveSpineTests {
    @Test func publishPackageAndPlay() async throws {
        let server = try await TestServer.start()
        let publisher = try Publisher.start(url: server.publishURL(key: "key-live1-secret"))
        defer { publisher.kill() }

        // a. The multivariant and media playlists parse and carry the LL-HLS tags.
        let master = try await HTTP.waitFor(server.url("hls/live1/master.m3u8"))
        #expect(master.header("Content-Type") == "application/vnd.apple.mpegurl")
        let multivariant = try MultivariantPlaylist.parse(master.text)
        let variant = try #require(multivariant.variants.first)
        #expect(variant.codecs.contains { $0.hasPrefix("avc1.64") })
        #expect(variant.codecs.contains("mp4a.40.2"))
        #expect(variant.resolution == MultivariantPlaylist.Resolution(width: 640, height: 360))
        #expect(variant.bandwidth > 100_000)
        #expect(variant.audioGroup == "audio")
        #expect(multivariant.renditions.contains { $0.type == .audio && $0.uri == "audio/index.m3u8" })

        // Let a few segments complete.
        try await Task.sleep(for: .seconds(5))
        let mediaText = try await HTTP.get(server.url("hls/live1/source/index.m3u8"))
        #expect(mediaText.status == 200)
        #expect(mediaText.header("Cache-Control") == "public, max-age=1")
        let media = try MediaPlaylist.parse(mediaText.text)
        #expect(media.partTarget != nil)
        #expect(media.serverControl?.canBlockReload == true)
        #expect(media.serverControl?.partHoldBack != nil)
        #expect(media.serverControl?.canSkipUntil != nil)
        #expect(media.preloadHint != nil)
        #expect(media.segments.count >= 2)
        #expect(media.segments.first?.map?.uri == "init.mp4")
        #expect(media.segments.allSatisfy { $0.programDateTime != nil })
        #expect(media.segments.contains { !$0.parts.isEmpty })
        #expect(media.segments.flatMap(\.parts).contains { $0.independent })
        #expect(!media.renditionReports.isEmpty)
        for text in ["#EXT-X-PART-INF:PART-TARGET=", "#EXT-X-SERVER-CONTROL:", "CAN-BLOCK-RELOAD=YES", "HOLD-BACK=",
                     "#EXT-X-PART:", "INDEPENDENT=YES", "#EXT-X-PRELOAD-HINT:TYPE=PART", "#EXT-X-PROGRAM-DATE-TIME:",
                     "#EXT-X-MAP:URI=\"init.mp4\"", "#EXT-X-RENDITION-REPORT:"] {
            #expect(mediaText.text.contains(text), "media playlist lacks \(text)")
        }

        // d. A blocking request for the next part returns only once that part exists.
        let hint = try #require(media.preloadHint?.uri)
        let pieces = hint.dropLast(4).split(separator: ".").compactMap { Int($0) }
        #expect(pieces.count == 2)
        let blocked = try await HTTP.get(server.url("hls/live1/source/index.m3u8?_HLS_msn=\(pieces[0])&_HLS_part=\(pieces[1])"))
        #expect(blocked.status == 200)
        // Shareable: a CDN collapses the viewers waiting for this part into one request (docs/CDN.md).
        #expect(blocked.header("Cache-Control") == "public, max-age=1")
        #expect(blocked.text.contains("URI=\"\(hint)\""), "the blocking response must list the part it waited for")
        #expect(!mediaText.text.contains("#EXT-X-PART:DURATION") || !mediaText.text.contains("URI=\"\(hint)\","))
        let hinted = try await HTTP.get(server.url("hls/live1/source/\(hint)"))
        #expect(hinted.status == 200)
        #expect(hinted.header("Cache-Control")?.contains("immutable") == true)
        // Beyond the spec's reach: 400 (RFC 8216bis §6.2.5.2).
        let tooFar = try await HTTP.get(server.url("hls/live1/source/index.m3u8?_HLS_msn=\(pieces[0] + 10)"))
        #expect(tooFar.status == 400)
        let partOnly = try await HTTP.get(server.url("hls/live1/source/index.m3u8?_HLS_part=1"))
        #expect(partOnly.status == 400)

        // HTTP: HEAD, byte ranges, CORS, 404s.
        let segmentURI = try #require(media.segments.last?.uri)
        let segment = try await HTTP.get(server.url("hls/live1/source/\(segmentURI)"))
        #expect(segment.status == 200)
        #expect(segment.header("Content-Type") == "video/mp4")
        let head = try await HTTP.get(server.url("hls/live1/source/\(segmentURI)"), method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Length") == "\(segment.body.count)")
        let range = try await HTTP.get(server.url("hls/live1/source/\(segmentURI)"), headers: ["Range": "bytes=8-23"])
        #expect(range.status == 206)
        #expect(range.body == segment.body.subdata(in: 8..<24))
        #expect(range.header("Content-Range") == "bytes 8-23/\(segment.body.count)")
        let cors = try await HTTP.get(server.url("hls/live1/master.m3u8"), headers: ["Origin": "https://player.example"])
        #expect(cors.header("Access-Control-Allow-Origin") != nil)
        #expect(try await HTTP.get(server.url("hls/nope/master.m3u8")).status == 404)
        #expect(try await HTTP.get(server.url("hls/live1/nope/index.m3u8")).status == 404)
        #expect(try await HTTP.get(server.url("hls/live1/source/999999.m4s")).status == 404)
        #expect(try await HTTP.get(server.url("watch/live1")).text.contains("<video id=\"player\""))
        #expect(try await HTTP.get(server.url("watch/nope")).status == 404)
        #expect(try await HTTP.get(server.url("healthz")).status == 200)
        #expect(try await HTTP.get(server.url("readyz")).status == 200)
        // Every playback answer above was counted, by kind and status class (a blocking reload
        // apart from plain playlist requests).
        let metrics = try await HTTP.get(server.url("metrics")).text
        for (series, atLeast) in [(#"antenne_playback_responses_total{kind="mediaPlaylist",status="2xx"}"#, 1),
                                  (#"antenne_playback_responses_total{kind="mediaPlaylist",status="4xx"}"#, 2),
                                  (#"antenne_playback_responses_total{kind="blockingReload",status="2xx"}"#, 1),
                                  (#"antenne_playback_responses_total{kind="blockingReload",status="4xx"}"#, 1),
                                  (#"antenne_playback_responses_total{kind="segment",status="2xx"}"#, 3),
                                  (#"antenne_playback_responses_total{kind="multivariant",status="4xx"}"#, 1)] {
            let line = metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }
            let count = line.flatMap { Int($0.split(separator: " ").last ?? "") }
            #expect((count ?? 0) >= atLeast, "\(series): \(line ?? "missing")")
        }

        // c. ffprobe on the init segment plus segments: codec, size, frame rate, frame count.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for rendition in ["source", "audio"] {
            let playlist = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/live1/\(rendition)/index.m3u8")).text)
            var file = try await HTTP.get(server.url("hls/live1/\(rendition)/init.mp4")).body
            let segments = playlist.segments.suffix(2)
            #expect(segments.count == 2)
            for s in segments { file.append(try await HTTP.get(server.url("hls/live1/\(rendition)/\(s.uri)")).body) }
            let path = directory.appendingPathComponent("\(rendition).mp4").path
            try file.write(to: URL(fileURLWithPath: path))
            let (status, probe) = try await ChildProcess.run("ffprobe", [
                "-v", "error", "-count_frames", "-show_entries",
                "stream=codec_name,width,height,r_frame_rate,nb_read_frames,sample_rate,channels", "-of", "default=nw=1", path,
            ])
            #expect(status == 0, "\(probe)")
            if rendition == "source" {
                #expect(probe.contains("codec_name=h264"))
                #expect(probe.contains("width=640") && probe.contains("height=360"))
                #expect(probe.contains("r_frame_rate=30/1"))
                #expect(probe.contains("nb_read_frames=120"), "two 2 s segments at 30 fps: \(probe)")
            } else {
                #expect(probe.contains("codec_name=aac"))
                #expect(probe.contains("sample_rate=48000") && probe.contains("channels=2"))
            }
        }

        // b. ffmpeg decodes 8 s of video and audio through the multivariant playlist, with no error.
        let (decodeStatus, decodeOutput) = try await ChildProcess.run("ffmpeg", [
            "-hide_banner", "-v", "error", "-nostdin", "-i", server.url("hls/live1/master.m3u8"),
            "-map", "0:v:0", "-map", "0:a:0", "-t", "8", "-f", "null", "-progress", "pipe:1", "-nostats", "-",
        ], timeout: .seconds(60))
        #expect(decodeStatus == 0)
        let errorLines = decodeOutput.split(separator: "\n").filter { !$0.contains("=") }
        #expect(errorLines.isEmpty, "decoder errors: \(errorLines)")
        let frames = decodeOutput.split(separator: "\n").last { $0.hasPrefix("frame=") }.flatMap { Int($0.dropFirst(6)) } ?? 0
        #expect((238...242).contains(frames), "8 s at 30 fps, got \(frames) frames")

        #expect(publisher.isRunning, "the publisher must still be running: \(publisher.text)")
        try await server.stop()
    }

    /// e. A wrong key is refused; so is a second publisher, and the first one goes on.
    @Test func refusesWrongKeyAndSecondPublisher() async throws {
        let server = try await TestServer.start()
        let first = try Publisher.start(url: server.publishURL(key: "key-live1-secret"))
        defer { first.kill() }
        _ = try await HTTP.waitFor(server.url("hls/live1/master.m3u8"))

        let wrong = try Publisher.start(url: server.publishURL(key: "not-a-valid-key"), seconds: 5)
        let wrongStatus = await wrong.wait(timeout: .seconds(15))
        #expect(wrongStatus != nil && wrongStatus != 0, "a wrong key must be refused")

        let second = try Publisher.start(url: server.publishURL(key: "key-live1-secret"), seconds: 5)
        let secondStatus = await second.wait(timeout: .seconds(15))
        #expect(secondStatus != nil && secondStatus != 0, "a second publisher must be refused")

        let before = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/live1/source/index.m3u8")).text)
        try await Task.sleep(for: .seconds(3))
        let after = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/live1/source/index.m3u8")).text)
        #expect(after.nextMediaSequence > before.nextMediaSequence, "the first publisher keeps the channel going")
        #expect(first.isRunning)
        #expect(!after.segments.contains { $0.discontinuity }, "the refused publishers must not disturb the stream")
        try await server.stop()
    }

    /// f. Encoder reconnect: media sequence numbers go on, with a discontinuity, and every listed
    /// URI can be fetched.
    @Test func encoderReconnectContinuesThePlaylist() async throws {
        let server = try await TestServer.start()
        let first = try Publisher.start(url: server.publishURL(key: "key-live1-secret"))
        _ = try await HTTP.waitFor(server.url("hls/live1/master.m3u8"))
        try await Task.sleep(for: .seconds(5))
        first.kill()
        _ = await first.wait(timeout: .seconds(5))
        let during = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/live1/source/index.m3u8")).text)

        let second = try Publisher.start(url: server.publishURL(key: "key-live1-secret"))
        defer { second.kill() }
        try await Task.sleep(for: .seconds(6))
        let after = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/live1/source/index.m3u8")).text)
        #expect(after.mediaSequence >= during.mediaSequence)
        #expect(after.nextMediaSequence > during.nextMediaSequence + 1)
        #expect(after.segments.contains { $0.discontinuity }, "a reconnect adds EXT-X-DISCONTINUITY")
        let msns = after.segments.indices.map { after.mediaSequence + Int64($0) }
        #expect(after.segments.map(\.uri) == msns.map { "\($0).m4s" })
        for segment in after.segments {
            #expect(try await HTTP.get(server.url("hls/live1/source/\(segment.uri)")).status == 200, "\(segment.uri)")
            for part in segment.parts {
                #expect(try await HTTP.get(server.url("hls/live1/source/\(part.uri)")).status == 200, "\(part.uri)")
            }
        }
        let audio = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/live1/audio/index.m3u8")).text)
        #expect(audio.segments.contains { $0.discontinuity })
        try await server.stop()
    }
}
