import AntenneServer
import Foundation
import Manifests
import Testing
import Transcoder

/// Adaptive bitrate end to end (issue: a supervised FFmpeg ladder per channel, with aligned
/// renditions): real ffmpeg publishes 720p, Antenne's FFmpeg child transcodes the ladder, and
/// ffprobe reads every rendition back.
@Suite(.serialized) struct LadderTests {
    /// 720p30 H.264 with B-frames and a 2 s GOP, AAC: what OBS sends.
    static func publish720p(_ server: TestServer, key: String, seconds: Int? = nil) throws -> ChildProcess {
        var args = ["-hide_banner", "-loglevel", "error", "-nostdin",
                    "-re", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
                    "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
        if let seconds { args += ["-t", "\(seconds)"] }
        args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-bf", "2",
                 "-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-b:v", "1500k",
                 "-c:a", "aac", "-b:a", "96k", "-ac", "2", "-f", "flv", server.publishURL(key: key)]
        return try ChildProcess("ffmpeg", args)
    }

    static func start(ladder: Ladder, key: String = "key-abr-secret") async throws -> TestServer {
        try await TestServer.start(channels: [("abr", key)]) { config in
            config.channels[0].ladder = ladder
        }
    }

    /// ffprobe on init + one segment: size, and each frame's presentation time and key flag.
    static func probe(_ server: TestServer, rendition: String, msn: Int, in directory: URL) async throws -> (width: Int, height: Int, frames: [(pts: Double, key: Bool)]) {
        let initData = try await HTTP.get(server.url("hls/abr/\(rendition)/init.mp4"))
        let segment = try await HTTP.get(server.url("hls/abr/\(rendition)/\(msn).m4s"))
        #expect(initData.status == 200)
        #expect(segment.status == 200, "\(rendition) segment \(msn)")
        let file = directory.appendingPathComponent("\(rendition)-\(msn).mp4")
        try (initData.body + segment.body).write(to: file)
        let (status, output) = try await ChildProcess.run("ffprobe", [
            "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height:frame=pts_time,key_frame",
            "-of", "json", file.path,
        ])
        #expect(status == 0, "ffprobe: \(output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let stream = try #require((json["streams"] as? [[String: Any]])?.first)
        let frames = (json["frames"] as? [[String: Any]] ?? []).compactMap { frame -> (Double, Bool)? in
            guard let pts = (frame["pts_time"] as? String).flatMap(Double.init), let key = frame["key_frame"] as? Int else { return nil }
            return (pts, key == 1)
        }
        return (stream["width"] as? Int ?? 0, stream["height"] as? Int ?? 0, frames)
    }

    @Test func mobileLadderDecodesAlignedRenditions() async throws {
        let server = try await Self.start(ladder: LadderPreset.mobile.ladder)
        let publisher = try Self.publish720p(server, key: "key-abr-secret")
        defer { publisher.kill() }

        let master = try await HTTP.waitFor(server.url("hls/abr/master.m3u8"), timeout: .seconds(90))
        let multivariant = try MultivariantPlaylist.parse(master.text)
        let video = multivariant.variants.filter { $0.resolution != nil }
        #expect(video.map(\.uri) == ["720p/index.m3u8", "480p/index.m3u8", "360p/index.m3u8", "240p/index.m3u8"])
        #expect(video.map(\.resolution) == [.init(width: 1280, height: 720), .init(width: 854, height: 480),
                                             .init(width: 640, height: 360), .init(width: 426, height: 240)])
        #expect(video.allSatisfy { $0.codecs.contains { $0.hasPrefix("avc1.4d") } && $0.codecs.contains("mp4a.40.2") })
        #expect(video.allSatisfy { $0.frameRate != nil && $0.audioGroup == "audio" })
        #expect(zip(video, video.dropFirst()).allSatisfy { $0.bandwidth > $1.bandwidth }, "measured bandwidth follows the ladder")
        let audioOnly = multivariant.variants.filter { $0.resolution == nil }
        #expect(audioOnly.map(\.uri) == ["audio/index.m3u8"])
        #expect(audioOnly.first?.codecs == ["mp4a.40.2"])
        #expect((audioOnly.first?.bandwidth ?? 0) < 100_000, "the mobile audio is encoded at 64 kbit/s")
        #expect(!master.text.contains("source/index.m3u8"), "the mobile ladder does not offer the source")

        let playlist = try await HTTP.get(server.url("hls/abr/360p/index.m3u8"))
        for sibling in ["720p", "480p", "240p", "audio"] {
            #expect(playlist.text.contains("#EXT-X-RENDITION-REPORT:URI=\"../\(sibling)/index.m3u8\""), "report for \(sibling)")
        }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-ladder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sizes = ["720p": (1280, 720), "480p": (854, 480), "360p": (640, 360), "240p": (426, 240)]
        for msn in [1, 2] {
            var starts: [String: Double] = [:]
            for (rendition, size) in sizes {
                let probed = try await Self.probe(server, rendition: rendition, msn: msn, in: directory)
                #expect(probed.width == size.0 && probed.height == size.1, "\(rendition) decodes at its size")
                #expect(probed.frames.count >= 55, "\(rendition) segment \(msn) holds about 2 s of frames")
                #expect(probed.frames.first?.key == true, "\(rendition) segment \(msn) starts with a key frame")
                starts[rendition] = probed.frames.map(\.pts).min()
            }
            let values = starts.values.sorted()
            let spread = (values.last ?? 0) - (values.first ?? 1)
            #expect(spread <= 1.0 / 30, "segment \(msn) starts within one frame everywhere: \(starts)")
        }
        try await server.stop()
    }

    @Test func conferenceLadderNeverUpscales() async throws {
        let server = try await Self.start(ladder: LadderPreset.conference.ladder)
        let publisher = try Self.publish720p(server, key: "key-abr-secret")
        defer { publisher.kill() }
        let master = try await HTTP.waitFor(server.url("hls/abr/master.m3u8"), timeout: .seconds(90))
        let variants = try MultivariantPlaylist.parse(master.text).variants
        #expect(variants.map(\.uri) == ["720p/index.m3u8", "540p/index.m3u8"])
        let missing = try await HTTP.get(server.url("hls/abr/1080p/index.m3u8"))
        #expect(missing.status == 404)
        // Conference passes the encoder's audio through: AAC at its own 96 kbit/s.
        let audio = try await HTTP.get(server.url("hls/abr/audio/index.m3u8"))
        #expect(audio.status == 200)
        try await server.stop()
    }

    /// FFmpeg dies: it restarts, the transcoded playlists go on with a discontinuity (and gaps for
    /// what was missed), and the passthrough source never notices. Then no FFmpeg outlives the
    /// publisher or the server.
    @Test func killedFFmpegRestartsAndNothingIsOrphaned() async throws {
        var ladder = LadderPreset.conference.ladder
        ladder.includeSource = true
        let server = try await Self.start(ladder: ladder)
        let publisher = try Self.publish720p(server, key: "key-abr-secret")
        defer { publisher.kill() }
        _ = try await HTTP.waitFor(server.url("hls/abr/master.m3u8"), timeout: .seconds(90))
        let transcoder = try #require(server.server.transcoders.first)
        #expect(transcoder.status.running)
        // Other suites run transcoders in this process too: follow this channel's own FFmpeg.
        let first = try #require(transcoder.status.pid)
        #expect(FFmpegChildren.transcoders().contains(first), "the transcoder's FFmpeg is a child reading MPEG-TS on stdin")
        let before = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/abr/540p/index.m3u8")).text)
        #expect(!before.segments.isEmpty)
        let lastBefore = Int(before.mediaSequence) + before.segments.count - 1

        let metrics = try await HTTP.get(server.url("metrics"))
        #expect(metrics.text.contains("antenne_transcoder_running{channel=\"abr\"} 1.0\n"), "\(metrics.text)")
        #expect(metrics.text.contains("antenne_transcoder_restarts_total{channel=\"abr\"} 0"))
        kill(first, SIGKILL)
        // It restarts (backoff 0.5 s, then the next key frame) and produces again.
        try await Self.until(timeout: .seconds(45)) { transcoder.status.restarts == 1 && transcoder.status.running }
        try await Self.until(timeout: .seconds(45)) {
            let text = (try? await HTTP.get(server.url("hls/abr/540p/index.m3u8")).text) ?? ""
            guard let playlist = try? MediaPlaylist.parse(text) else { return false }
            let last = Int(playlist.mediaSequence) + playlist.segments.count - 1
            return last >= lastBefore + 4 && playlist.segments.suffix(2).allSatisfy { !$0.gap }
        }
        let restarted = try await HTTP.get(server.url("metrics"))
        #expect(restarted.text.contains("antenne_transcoder_restarts_total{channel=\"abr\"} 1"), "\(restarted.text)")
        #expect(restarted.text.contains("antenne_packager_gap_segments_total{channel=\"abr\"}"))
        let after = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/abr/540p/index.m3u8")).text)
        #expect(after.segments.contains { $0.discontinuity }, "the restart is a discontinuity")
        let source = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/abr/source/index.m3u8")).text)
        #expect(!source.segments.contains { $0.discontinuity || $0.gap }, "passthrough never noticed")
        #expect(source.segments.allSatisfy { $0.duration.milliseconds >= 1_900 && $0.duration.milliseconds <= 2_100 })
        // Numbers stay aligned: the last segment of both is the same msn, give or take the one in progress.
        let sourceLast = Int(source.mediaSequence) + source.segments.count - 1
        let afterLast = Int(after.mediaSequence) + after.segments.count - 1
        #expect(abs(sourceLast - afterLast) <= 1)

        // The publisher going away stops FFmpeg.
        let restartedPID = try #require(transcoder.status.pid)
        #expect(restartedPID != first)
        publisher.kill()
        // FFmpeg is reaped a moment before the transcoder says so: wait for both.
        try await Self.until(timeout: .seconds(30)) { !FFmpegChildren.transcoders().contains(restartedPID) && !transcoder.status.running }

        // And a server stopped while transcoding leaves none behind.
        let again = try Self.publish720p(server, key: "key-abr-secret")
        defer { again.kill() }
        try await Self.until(timeout: .seconds(45)) { transcoder.status.running && transcoder.status.pid != nil }
        let last = try #require(transcoder.status.pid)
        #expect(FFmpegChildren.transcoders().contains(last))
        try await server.stop()
        #expect(!FFmpegChildren.transcoders().contains(last))
    }

    static func until(timeout: Duration, _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("condition not met within \(timeout)")
    }
}

/// This process's FFmpeg children that read media from stdin: the transcoders.
enum FFmpegChildren {
    static func transcoders() -> [Int32] {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == me, fields[0] != "Z" else { return false }
            let cmdline = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
            let arguments = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.first?.hasSuffix("ffmpeg") == true && arguments.contains("pipe:0") && arguments.contains("mpegts")
        }
    }
}
