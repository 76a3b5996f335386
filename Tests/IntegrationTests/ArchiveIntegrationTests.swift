import AntenneServer
import Archive
import Foundation
import Manifests
import MediaCore
import Packager
import Testing

/// DVR archive (issue "Time-shift and replay", item 1): every finished segment of every rendition
/// of an archived channel reaches the store with its init segment and its index entry, and what is
/// stored decodes.
@Suite(.serialized) struct ArchiveIntegrationTests {
    @Test func aPublishIsArchivedSegmentBySegment() async throws {
        let archive = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-archive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: archive) }
        let server = try await TestServer.start(channels: [("kept1", "key-kept1-secret"), ("fleeting1", "key-fleeting1-secret")]) {
            $0.archiveLocation = archive.path
            $0.channels[0].archived = true
        }
        let kept = try Publisher.start(url: server.publishURL(key: "key-kept1-secret"), seconds: 9)
        let fleeting = try Publisher.start(url: server.publishURL(key: "key-fleeting1-secret"), seconds: 9)
        #expect(await kept.wait(timeout: .seconds(60)) == 0, "\(kept.text)")
        #expect(await fleeting.wait(timeout: .seconds(60)) == 0)
        try await WebhookDeliveryTests.waitUntil(timeout: .seconds(10)) { server.server.archiveStatistics.pending == 0 }
        try await server.stop()

        let store = DiskArchiveStore(root: archive)
        #expect(try await store.list(prefix: "fleeting1/").isEmpty, "a channel that is not archived leaves nothing")
        for rendition in ["source", "audio"] {
            let objects = try await store.list(prefix: "kept1/\(rendition)/")
            let records = objects.compactMap(SegmentRecord.init).sorted()
            // 9 s at 2 s segments: four complete segments, and the fifth closed when the publisher left.
            #expect(records.count >= 4, "\(rendition): \(objects.map(\.key.value))")
            #expect(records.map(\.msn) == Array(records.indices), "\(rendition): consecutive from 0")
            #expect(records.allSatisfy { !$0.gap && $0.size > 0 && $0.timescale > 0 })
            // Contiguous media time, to the millisecond: a part's last frame is given its estimated
            // duration (the packager closes parts early), and RTMP's clock jitters by 1 ms.
            let gaps = zip(records, records.dropFirst()).map { $1.startDTS - ($0.startDTS + $0.duration) }
            #expect(gaps.allSatisfy { abs($0) * 1_000 <= Int64(records[0].timescale) }, "\(rendition): gaps \(gaps)")
            #expect(zip(records, records.dropFirst()).allSatisfy { $1.programDateTime >= $0.programDateTime })

            // The init segment and the segments, concatenated, decode.
            let first = try #require(records.first)
            var file = try #require(try await store.get(try first.initKey))
            for record in records {
                let segment = try await store.get(try record.key)
                file.writeImmutableBuffer(try #require(segment))
            }
            let path = archive.appendingPathComponent("\(rendition).mp4").path
            try Data(file.readableBytesView).write(to: URL(fileURLWithPath: path))
            let (status, probe) = try await ChildProcess.run("ffprobe", [
                "-v", "error", "-count_frames", "-show_entries", "stream=codec_name,nb_read_frames", "-of", "default=nw=1", path,
            ])
            #expect(status == 0, "\(probe)")
            if rendition == "source" {
                #expect(probe.contains("codec_name=h264"), "\(probe)")
                let frames = probe.split(separator: "\n").first { $0.hasPrefix("nb_read_frames=") }.flatMap { Int($0.dropFirst(15)) } ?? 0
                #expect(frames >= 4 * 60, "\(records.count) segments of 2 s at 30 fps, got \(frames) frames")
            } else {
                #expect(probe.contains("codec_name=aac"), "\(probe)")
            }
        }
    }

    /// `index.m3u8?dvr=SECONDS` reaches back into the archive beyond the live window, and a player
    /// decodes it from its first segment; `master.m3u8?dvr=` hands the window to every rendition.
    @Test func aDVRPlaylistReachesBackIntoTheArchive() async throws {
        let archive = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-dvr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: archive) }
        let server = try await TestServer.start(channels: [("dvr1", "key-dvr1-secret")]) {
            $0.archiveLocation = archive.path
            $0.channels[0].archived = true
            // A 10 s live window: after 24 s, the start of the publish is only in the archive.
            $0.packager = PackagerConfiguration(
                segmentTarget: MediaTime(ticks: 2, timescale: 1), partTarget: MediaTime(ticks: 1, timescale: 2), window: MediaTime(ticks: 10, timescale: 1))
        }
        let publisher = try Publisher.start(url: server.publishURL(key: "key-dvr1-secret"))
        defer { publisher.kill() }
        _ = try await HTTP.waitFor(server.url("hls/dvr1/master.m3u8"), timeout: .seconds(30))
        try await Task.sleep(for: .seconds(18))

        let live = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/dvr1/source/index.m3u8")).text)
        #expect(live.mediaSequence > 2, "the live window has moved on")
        let response = try await HTTP.get(server.url("hls/dvr1/source/index.m3u8?dvr=3600"))
        #expect(response.status == 200)
        let dvr = try MediaPlaylist.parse(response.text)
        #expect(dvr.mediaSequence == 0, "reaches back to the first archived segment: \(response.text)")
        let archived = dvr.segments.filter { $0.uri.hasPrefix("archive/") }
        #expect(archived.count >= Int(live.mediaSequence), "\(response.text)")
        #expect(dvr.segments.count == archived.count + live.segments.count)
        #expect(archived.allSatisfy { $0.map?.uri.hasPrefix("archive/init-") == true })
        #expect(!dvr.segments.contains { $0.discontinuity }, "one session: no discontinuity at the seam")
        // A short reach lists fewer archived segments; a bad one is refused.
        let short = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/dvr1/source/index.m3u8?dvr=16")).text)
        let liveNow = try MediaPlaylist.parse(try await HTTP.get(server.url("hls/dvr1/source/index.m3u8")).text)
        #expect(short.mediaSequence > 0 && short.mediaSequence < liveNow.mediaSequence, "\(short.mediaSequence) \(liveNow.mediaSequence)")
        for bad in ["0", "-5", "abc", "99999999999"] {
            #expect(try await HTTP.get(server.url("hls/dvr1/source/index.m3u8?dvr=\(bad)")).status == 400)
        }
        // Names from the URL never leave the channel's archive.
        for hostile in ["init-..%2F..%2Fx.mp4", "20261122-12-..m4s", "x"] {
            #expect(try await HTTP.get(server.url("hls/dvr1/source/archive/\(hostile)")).status == 404)
        }

        let master = try await HTTP.get(server.url("hls/dvr1/master.m3u8?dvr=3600"))
        #expect(master.text.contains("source/index.m3u8?dvr=3600"), "\(master.text)")

        // ffmpeg plays the DVR playlist from its first segment, archive and live window alike.
        let seconds = Int(dvr.segments.reduce(Int64(0)) { $0 + $1.duration.milliseconds } / 1000) - 2
        let (status, output) = try await ChildProcess.run("ffmpeg", [
            "-hide_banner", "-v", "error", "-nostdin", "-live_start_index", "0",
            "-i", server.url("hls/dvr1/source/index.m3u8?dvr=3600"), "-map", "0:v:0", "-t", "\(seconds)", "-f", "framecrc", "-",
        ], timeout: .seconds(90))
        #expect(status == 0, "\(output.suffix(2_000))")
        let frames = output.split(separator: "\n").filter { $0.hasPrefix("0,") }.count
        #expect(frames >= (seconds - 1) * 30, "\(seconds) s at 30 fps, got \(frames) frames")
        try await server.stop()
    }
}
