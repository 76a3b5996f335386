import Foundation
import Testing
import TestSupport

/// DASH from the same CMAF segments, end to end: real ffmpeg publishes H.264 with B-frames and AAC
/// over RTMP; ffmpeg's DASH demuxer plays `dash/{channel}/manifest.mpd` live.
@Suite(.serialized) struct DASHPlaybackTests {
    @Test func ffmpegPlaysTheLiveMPD() async throws {
        let server = try await TestServer.start()
        let publisher = try Publisher.start(url: server.publishURL(key: "key-live1-secret"))
        defer { publisher.kill() }
        _ = try await HTTP.waitFor(server.url("hls/live1/master.m3u8"))
        // A few more segments, so that the window holds more than the decode below reads.
        try await Task.sleep(for: .seconds(6))

        let response = try await HTTP.get(server.url("dash/live1/manifest.mpd"))
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/dash+xml")
        #expect(response.header("Cache-Control") == "public, max-age=1")
        let mpd = try #require(XMLTree.parse(response.text))
        #expect(mpd["type"] == "dynamic")
        #expect(mpd.descendants(named: "AdaptationSet").map { $0["contentType"] } == ["video", "audio"])
        let video = try #require(mpd.descendants(named: "Representation").first)
        #expect(video["codecs"]?.hasPrefix("avc1.64") == true)
        #expect(video["width"] == "640" && video["height"] == "360")
        #expect(mpd.descendants(named: "SegmentTemplate").allSatisfy { $0["media"]?.hasPrefix("../../hls/live1/") == true })
        // Video (with B-frames) and audio are offset to one instant, in milliseconds: in sync.
        let offsets = mpd.descendants(named: "SegmentTemplate").map { template in
            (Int64(template["presentationTimeOffset"] ?? "0") ?? -1) * 1_000 / max(1, Int64(template["timescale"] ?? "") ?? 0)
        }
        #expect(offsets.count == 2 && offsets.allSatisfy { $0 == offsets[0] }, "\(offsets)")

        let clock = try await HTTP.get(server.url("dash/time"))
        #expect(clock.status == 200)
        #expect(clock.header("Cache-Control") == "no-store")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let served = try #require(formatter.date(from: clock.text))
        #expect(abs(served.timeIntervalSinceNow) < 5)

        // ffmpeg decodes 16 s of video and audio through the MPD, with no error: more than the
        // window held when it started, so it reloads the MPD and follows the live edge.
        let (status, output) = try await ChildProcess.run("ffmpeg", [
            "-hide_banner", "-v", "error", "-nostdin", "-i", server.url("dash/live1/manifest.mpd"),
            "-map", "0:v:0", "-map", "0:a:0", "-t", "16", "-f", "null", "-progress", "pipe:1", "-nostats", "-",
        ], timeout: .seconds(60))
        #expect(status == 0, "\(output)")
        let errorLines = output.split(separator: "\n").filter { !$0.contains("=") }
        #expect(errorLines.isEmpty, "decoder errors: \(errorLines)")
        let frames = output.split(separator: "\n").last { $0.hasPrefix("frame=") }.flatMap { Int($0.dropFirst(6)) } ?? 0
        #expect((478...482).contains(frames), "16 s at 30 fps, got \(frames) frames")

        #expect(publisher.isRunning, "the publisher must still be running: \(publisher.text)")

        // The encoder reconnects: the MPD goes on with a second Period, which ffmpeg plays.
        publisher.kill()
        _ = await publisher.wait(timeout: .seconds(5))
        let again = try Publisher.start(url: server.publishURL(key: "key-live1-secret"))
        defer { again.kill() }
        let periods = try await Self.waitForPeriods(2, server.url("dash/live1/manifest.mpd"))
        let starts = periods.compactMap { $0["start"] }
        #expect(starts.count == 2 && starts[0] != starts[1], "\(starts)")
        #expect(periods.allSatisfy { !$0.descendants(named: "S").isEmpty })
        let (again2, output2) = try await ChildProcess.run("ffmpeg", [
            "-hide_banner", "-v", "error", "-nostdin", "-i", server.url("dash/live1/manifest.mpd"),
            "-map", "0:v:0", "-t", "2", "-f", "null", "-",
        ], timeout: .seconds(60))
        // ffmpeg's DASH demuxer reads the Periods as one stream, so the new session's time stamps
        // (from zero again) make its null muxer note that they went back; what counts is that
        // every frame decodes.
        let decodeErrors = output2.split(separator: "\n").filter { !$0.contains("non monotonically increasing dts") }
        #expect(again2 == 0 && decodeErrors.isEmpty, "\(output2)")
        try await server.stop()
    }

    /// The Periods of the MPD at `url`, once it has `count` of them (each listing segments).
    static func waitForPeriods(_ count: Int, _ url: String) async throws -> [XMLTree] {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let mpd = XMLTree.parse(try await HTTP.get(url).text) {
                let periods = mpd.children(named: "Period")
                if periods.count >= count, periods.allSatisfy({ !$0.descendants(named: "S").isEmpty }) { return periods }
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw CancellationError()
    }
}
