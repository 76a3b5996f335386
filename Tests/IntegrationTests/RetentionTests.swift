import Archive
import AntenneServer
import Control
import Foundation
import Testing

/// Retention (issue "Time-shift and replay", items 1 and 4): a control-plane channel keeps at
/// most 1 MiB of archive, oldest first, except what a retained recording pins; the recording
/// still plays after its neighbours are gone.
@Suite(.serialized) struct RetentionTests {
    @Test func bytesRetentionKeepsTheNewestAndWhatARecordingPins() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-retention-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await TestServer.start(channels: []) {
            $0.archiveLocation = directory.path
            $0.retentionInterval = .seconds(1)
            $0.retentionProtects = .zero
        }
        let store = try #require(server.server.controlStore)
        let organisation = try await store.createOrganisation(name: "Forgetful", scope: .serverAdmin)
        let limit: Int64 = 1 << 20
        let channel = try await store.createChannel(
            organisation: organisation.id,
            NewChannel(name: "kept2", archive: ArchiveSettings(enabled: true, retentionBytes: limit)), scope: .serverAdmin)
        let key = try await store.createStreamKey(channel: channel.id, label: "main", scope: .serverAdmin)
        let disk = DiskArchiveStore(root: directory)

        // About 110 kB/s: 24 s are well over the limit.
        let publisher = try Publisher.start(url: server.publishURL(key: key.secret.value), seconds: 24)
        // A retained recording of the publish's first 5 s, made once its first segment is archived
        // (the limit is reached some 9 s later).
        var first: SegmentRecord?
        let deadline = ContinuousClock.now + .seconds(60)
        while first == nil, ContinuousClock.now < deadline {
            first = try await disk.list(prefix: "kept2/").compactMap(SegmentRecord.init).min { $0.programDateTime < $1.programDateTime }
            try await Task.sleep(for: .milliseconds(100))
        }
        let start = Date(timeIntervalSince1970: Double(try #require(first).programDateTime) / 1000)
        let pinned = try await store.createRecording(
            channel: channel.id, NewRecording(title: "Opening", startsAt: start, endsAt: start.addingTimeInterval(5)), scope: .serverAdmin)
        #expect(pinned.retain)
        #expect(await publisher.wait(timeout: .seconds(90)) == 0, "\(publisher.text)")
        try await Task.sleep(for: .seconds(3))

        let records = try await disk.list(prefix: "kept2/").compactMap(SegmentRecord.init)
        let bytes = records.reduce(0) { $0 + $1.size }
        let pinnedEnd = Int64(start.addingTimeInterval(5).timeIntervalSince1970 * 1000)
        let isPinned = { (record: SegmentRecord) in record.programDateTime < pinnedEnd }
        let pinnedBytes = records.filter(isPinned).reduce(0) { $0 + $1.size }
        #expect(pinnedBytes > 0, "the opening is kept")
        #expect(bytes - pinnedBytes <= limit, "\(bytes - pinnedBytes) unpinned bytes kept, limit \(limit)")
        // What went is the oldest unpinned media: the kept unpinned segments are the newest.
        for rendition in ["source", "audio"] {
            let msns = records.filter { $0.rendition == rendition && !isPinned($0) }.map(\.msn).sorted()
            let newest = try #require(msns.last)
            #expect(msns == Array((newest - msns.count + 1)...newest), "\(rendition): \(msns)")
            let lastPinned = try #require(records.filter { $0.rendition == rendition && isPinned($0) }.map(\.msn).max())
            #expect(try #require(msns.first) > lastPinned + 1, "a hole after the opening")
        }
        let metrics = try await HTTP.get(server.url("metrics")).text
        #expect(metrics.contains("antenne_archive_retention_deleted_segments_total ") && !metrics.contains("antenne_archive_retention_deleted_segments_total 0\n"))

        // The pinned recording plays.
        let (status, output) = try await ChildProcess.run("ffmpeg", [
            "-hide_banner", "-v", "error", "-nostdin", "-i", server.url("vod/\(pinned.id.uuidString.lowercased())/master.m3u8"), "-f", "null", "-",
        ], timeout: .seconds(60))
        #expect(status == 0, "\(output.suffix(1_000))")
        try await server.stop()
    }
}
