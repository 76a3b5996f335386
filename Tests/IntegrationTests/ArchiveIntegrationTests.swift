import AntenneServer
import Archive
import Foundation
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
}
