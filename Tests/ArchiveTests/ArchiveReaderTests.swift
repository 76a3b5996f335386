import Archive
import Foundation
import MediaCore
import NIOCore
import Testing

@Suite struct ArchiveReaderTests {
    static let hour: Int64 = 3_600_000
    static let t0: Int64 = 1_795_348_800_000  // 2026-11-22T12:00:00Z

    static func put(_ store: some ArchiveStore, rendition: String, msn: Int, at pdt: Int64, channel: String = "match1") async throws {
        var segment = SegmentRecordTests.segment(msn: msn, pdt: pdt)
        segment.channel = channel
        segment.rendition = rendition
        let record = SegmentRecord(segment)
        try await store.put(try record.key, parts: segment.parts)
    }

    static func withDisk(_ body: (DiskArchiveStore) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-reader-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try await body(DiskArchiveStore(root: root))
    }

    @Test func recordsSpanHoursAndStayInTheirChannel() async throws {
        try await Self.withDisk { store in
            for msn in 0..<6 { try await Self.put(store, rendition: "720p", msn: msn, at: Self.t0 - Self.hour + Int64(msn) * 900_000) }
            try await Self.put(store, rendition: "720p", msn: 0, at: Self.t0, channel: "match10")
            let reader = ArchiveReader(store: store, now: { Self.t0 + 2 * Self.hour })
            let all = try await reader.records(channel: "match1", rendition: "720p", from: Self.t0 - 2 * Self.hour, to: Self.t0 + Self.hour)
            #expect(all.map(\.msn) == Array(0..<6))
            let some = try await reader.records(channel: "match1", rendition: "720p", from: Self.t0 - Self.hour + 900_000, to: Self.t0)
            #expect(some.map(\.msn) == [1, 2, 3])
            #expect(try await reader.records(channel: "match1", rendition: "audio", from: 0, to: Self.t0).isEmpty)
        }
    }

    @Test func theLastNumberIsTheHighestOfAnyRendition() async throws {
        try await Self.withDisk { store in
            let reader = ArchiveReader(store: store, now: { Self.t0 })
            #expect(try await reader.lastMSN(channel: "match1") == nil)
            for msn in 0..<4 { try await Self.put(store, rendition: "720p", msn: msn, at: Self.t0 - Self.hour + Int64(msn) * 2_000) }
            // The newest hour holds the newest segments; an audio rendition one further ahead.
            for msn in 4..<9 { try await Self.put(store, rendition: "720p", msn: msn, at: Self.t0 + Int64(msn) * 2_000) }
            try await Self.put(store, rendition: "audio", msn: 9, at: Self.t0 + 18_000)
            try await store.put(try ArchiveKey("match1/720p/init/0123456789abcdef.mp4"), ByteBuffer(string: "init"))
            try await Self.put(store, rendition: "720p", msn: 500, at: Self.t0, channel: "match10")
            #expect(try await reader.lastMSN(channel: "match1") == 9)
            #expect(try await store.listDirectories(prefix: "match1/") == ["720p", "audio"])
            #expect(try await store.listDirectories(prefix: "match1/720p/") == ["20261122", "init"])
        }
    }
}
