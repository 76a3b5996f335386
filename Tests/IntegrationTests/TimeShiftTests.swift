@testable import Archive
import AntenneServer
import Foundation
import Manifests
import MediaCore
import Packager
import Testing
import TestSupport

/// Where a time-shift test keeps its archive: a directory, or a bucket of the test's own
/// S3-compatible server (moto), reached through `--archive s3://…` with credentials from the
/// environment, as an operator configures it.
enum ArchiveBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case disk, s3

    var testDescription: String { rawValue }

    func configure(_ config: inout ServerConfiguration, directory: URL) async throws {
        switch self {
        case .disk:
            config.archiveLocation = directory.path
        case .s3:
            let s3 = try await TestMoto.shared.makeConfiguration(addressing: .path, keyPrefix: "antenne/")
            let server = try await TestMoto.shared.server()
            config.archiveLocation = "s3://\(s3.bucket)/antenne"
            config.s3Endpoint = "http://127.0.0.1:\(server.port)"
            config.environment = [
                "AWS_ACCESS_KEY_ID": server.credentials.accessKeyID, "AWS_SECRET_ACCESS_KEY": server.credentials.secretAccessKey,
                "AWS_REGION": "us-east-1",
            ]
        }
    }
}

/// Start-over and catch-up (issue "Time-shift and replay", items 2 and 3), on disk and on S3.
@Suite(.serialized) struct TimeShiftTests {
    static func iso(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// Publishes 30 s with a 10 s live window. While it runs, a start-over playlist starts at the
    /// asked time and grows; afterwards a 10 s catch-up range decodes to exactly that range, to
    /// within a GOP, from every rendition, and again after a restart, with the channel offline.
    @Test(arguments: ArchiveBackend.allCases)
    func startOverAndCatchUp(_ backend: ArchiveBackend) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-timeshift-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = ServerConfiguration()
        try await backend.configure(&configuration, directory: directory)
        let configured = configuration
        let setUp: (inout ServerConfiguration) -> Void = {
            $0.archiveLocation = configured.archiveLocation
            $0.s3Endpoint = configured.s3Endpoint
            $0.environment = configured.environment
            $0.channels[0].archived = true
            $0.packager = PackagerConfiguration(
                segmentTarget: MediaTime(ticks: 2, timescale: 1), partTarget: MediaTime(ticks: 1, timescale: 2), window: MediaTime(ticks: 10, timescale: 1))
        }
        var server = try await TestServer.start(channels: [("shift1", "key-shift1-secret")], configure: setUp)
        let publisher = try Publisher.start(url: server.publishURL(key: "key-shift1-secret"), seconds: 30)
        defer { publisher.kill() }
        _ = try await HTTP.waitFor(server.url("hls/shift1/master.m3u8"), timeout: .seconds(30))
        try await Task.sleep(for: .seconds(16))

        // Start-over from 5 s into the publish: EVENT, from the segment holding that time, growing.
        let first = try await Self.firstProgramDateTime(server, "shift1")
        let startOver = first + 5_000
        let master = try await HTTP.get(server.url("hls/shift1/master.m3u8?start=\(Self.iso(startOver))"))
        #expect(master.status == 200, "\(master.text)")
        #expect(master.text.contains("source/index.m3u8?start="), "the start carries to every media playlist: \(master.text)")
        let eventURL = server.url("hls/shift1/source/index.m3u8?start=\(Self.iso(startOver))")
        let event = try MediaPlaylist.parse(try await HTTP.get(eventURL).text)
        #expect(event.playlistType == .event)
        #expect(!event.endList)
        let eventStart = try #require(event.segments.first?.programDateTime)
        #expect(eventStart <= startOver && startOver < eventStart + 2_100, "first segment at \(eventStart), asked \(startOver)")
        try await Task.sleep(for: .seconds(5))
        let grown = try MediaPlaylist.parse(try await HTTP.get(eventURL).text)
        #expect(grown.mediaSequence == event.mediaSequence, "an EVENT playlist keeps its start")
        #expect(grown.segments.count > event.segments.count, "\(event.segments.count) then \(grown.segments.count)")

        #expect(await publisher.wait(timeout: .seconds(60)) == 0)
        let running = server
        try await WebhookDeliveryTests.waitUntil(timeout: .seconds(10)) { running.server.archiveStatistics.pending == 0 }

        // Catch-up of 10 s from 12 s in, long gone from the live window.
        let start = first + 12_000
        let end = start + 10_000
        try await Self.checkCatchUp(server, start: start, end: end)

        // After a restart the channel is offline; its archive still plays.
        try await server.stop()
        server = try await TestServer.start(channels: [("shift1", "key-shift1-secret")], configure: setUp)
        #expect(try await HTTP.get(server.url("hls/shift1/master.m3u8")).status == 404, "offline: no live playlist")
        try await Self.checkCatchUp(server, start: start, end: end)
        // Bad ranges are refused.
        for query in ["start=yesterday", "end=\(Self.iso(end))", "start=\(Self.iso(end))&end=\(Self.iso(start))",
                      "start=\(Self.iso(start))&end=\(Self.iso(start + 15 * 86_400_000))"] {
            #expect(try await HTTP.get(server.url("hls/shift1/master.m3u8?\(query)")).status == 400, "\(query)")
        }
        #expect(try await HTTP.get(server.url("hls/nosuch/master.m3u8?start=\(Self.iso(start))&end=\(Self.iso(end))")).status == 404)
        try await server.stop()
    }

    /// The wall-clock time of the channel's first archived segment, from a catch-up of the last hour.
    static func firstProgramDateTime(_ server: TestServer, _ channel: String) async throws -> Int64 {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let text = try await HTTP.get(server.url("hls/\(channel)/source/index.m3u8?start=\(iso(now - 3_600_000))&end=\(iso(now))")).text
        return try #require(try MediaPlaylist.parse(text).segments.first?.programDateTime, "\(text)")
    }

    static func checkCatchUp(_ server: TestServer, start: Int64, end: Int64) async throws {
        let query = "start=\(iso(start))&end=\(iso(end))"
        let master = try await HTTP.get(server.url("hls/shift1/master.m3u8?\(query)"))
        #expect(master.status == 200, "\(master.text)")
        let variants = try MultivariantPlaylist.parse(master.text)
        #expect(variants.variants.first?.codecs.first?.hasPrefix("avc1.64") == true, "\(master.text)")
        #expect(variants.variants.first?.resolution == MultivariantPlaylist.Resolution(width: 640, height: 360))
        #expect(variants.renditions.contains { $0.type == .audio && $0.uri?.hasPrefix("audio/index.m3u8?start=") == true })
        for rendition in ["source", "audio"] {
            let playlist = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/shift1/\(rendition)/index.m3u8?\(query)")).text)
            #expect(playlist.playlistType == .vod && playlist.endList)
            let firstPDT = try #require(playlist.segments.first?.programDateTime)
            let last = try #require(playlist.segments.last)
            let lastEnd = try #require(last.programDateTime) + last.duration.milliseconds
            // The segments that hold the range, no more: each end within a segment (one GOP) of it.
            #expect(firstPDT <= start && start - firstPDT < 2_100, "\(rendition): starts \(start - firstPDT) ms early")
            #expect(lastEnd >= end - 50 && lastEnd - end < 2_100, "\(rendition): ends \(lastEnd - end) ms late")
        }
        // ffmpeg decodes the whole catch-up, both streams, from the archive.
        let (status, output) = try await ChildProcess.run("ffmpeg", [
            "-hide_banner", "-v", "error", "-nostdin", "-i", server.url("hls/shift1/master.m3u8?\(query)"),
            "-map", "0:v:0", "-map", "0:a:0", "-f", "framecrc", "-",
        ], timeout: .seconds(90))
        #expect(status == 0, "\(output.suffix(2_000))")
        let frames = output.split(separator: "\n").filter { $0.hasPrefix("0,") }.count
        // 10 s asked, up to a GOP more at each end (2 s GOP, 30 fps).
        #expect(frames >= 10 * 30 - 3 && frames <= 14 * 30 + 3, "\(frames) video frames")
        #expect(output.split(separator: "\n").contains { $0.hasPrefix("1,") }, "audio decodes too")
    }
}
