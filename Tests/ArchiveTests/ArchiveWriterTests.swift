import Archive
import Foundation
import Logging
import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import Testing
import TestSupport

/// A store that fails its first `failures` puts, as a full disk or an S3 outage does.
final class FlakyStore: ArchiveStore {
    let inner: any ArchiveStore
    private let remaining: NIOLockedValueBox<Int>

    init(_ inner: any ArchiveStore, failures: Int) {
        self.inner = inner
        self.remaining = NIOLockedValueBox(failures)
    }

    func put(_ key: ArchiveKey, _ data: ByteBuffer) async throws(ArchiveError) {
        let fail = remaining.withLockedValue { remaining in
            defer { remaining = max(0, remaining - 1) }
            return remaining > 0
        }
        if fail { throw .full("test: no space left on device") }
        try await inner.put(key, data)
    }
    func get(_ key: ArchiveKey) async throws(ArchiveError) -> ByteBuffer? { try await inner.get(key) }
    func read(_ key: ArchiveKey, from offset: Int64, count: Int) async throws(ArchiveError) -> ObjectRange? {
        try await inner.read(key, from: offset, count: count)
    }
    func list(prefix: String) async throws(ArchiveError) -> [ArchiveObject] { try await inner.list(prefix: prefix) }
    func delete(_ keys: [ArchiveKey]) async throws(ArchiveError) { try await inner.delete(keys) }
}

@Suite struct ArchiveWriterTests {
    static func withWriter(
        failures: Int = 0, maximumPendingBytes: Int = ArchiveWriter.defaultMaximumPendingBytes,
        _ body: (ArchiveWriter, DiskArchiveStore, LogCapture) async throws -> Void
    ) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-writer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let disk = DiskArchiveStore(root: root)
        let logs = LogCapture()
        let writer = ArchiveWriter(
            store: FlakyStore(disk, failures: failures), maximumPendingBytes: maximumPendingBytes, logger: logs.logger(),
            retryDelay: { _ in .milliseconds(20) })
        let task = Task { await writer.run() }
        do {
            try await body(writer, disk, logs)
        } catch {
            task.cancel()
            throw error
        }
        task.cancel()
        await task.value
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !condition() {
            guard ContinuousClock.now < deadline else { Issue.record("timed out"); return }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test func segmentsAndTheirInitAreStoredInOrder() async throws {
        try await Self.withWriter { writer, disk, _ in
            for msn in 0..<20 { #expect(writer.enqueue(SegmentRecordTests.segment(msn: msn))) }
            try await Self.waitUntil { writer.statistics.segments == 20 }
            let listed = try await disk.list(prefix: "match1/720p/")
            let records = listed.compactMap(SegmentRecord.init)
            #expect(records.map(\.msn) == Array(0..<20))
            #expect(listed.count == 22, "one init segment and its descriptor for all")
            let record = try #require(records.first)
            #expect(try await disk.get(record.key) == ByteBuffer(string: "segment bytes"))
            #expect(try await disk.get(record.initKey) == ByteBuffer(string: "init bytes"))
            let reader = ArchiveReader(store: disk, now: { 0 })
            let descriptor = try #require(try await reader.descriptor(channel: "match1", rendition: "720p", id: record.initID))
            #expect(descriptor == RenditionDescriptor(SegmentRecordTests.track))
            #expect(descriptor.codecs == "avc1.64001f" && descriptor.width == 1280 && descriptor.frameRate == Rational(30_000, 1_001))
            #expect(try await reader.renditions(channel: "match1") == ["720p"])
            #expect(writer.statistics.pending == 0 && writer.statistics.pendingBytes == 0)
        }
    }

    /// The store is full for a while: the writer retries, logs the burst once and the recovery
    /// once, and nothing queued is lost.
    @Test(.bug(id: "archive-queue-holds-media", "issue 16: the archive queue kept up to 1,024 written segments, their media with them"))
    func aWrittenSegmentIsNoLongerHeld() async throws {
        try await Self.withWriter { writer, _, _ in
            // Media of our own, whose storage is shared with every copy the writer keeps.
            var media: [ByteBuffer] = (0..<3).map { ByteBuffer(string: "segment \($0) bytes") }
            for msn in media.indices {
                var segment = SegmentRecordTests.segment(msn: msn)
                segment.parts = [media[msn]]
                #expect(writer.enqueue(segment))
            }
            try await Self.waitUntil { writer.statistics.segments == media.count }
            // Written: the writer lets go of each as soon as the store has it (waitUntil records
            // an issue if it never does).
            try await Self.waitUntil {
                media.indices.allSatisfy { media[$0].modifyIfUniquelyOwned { _ in true } == true }
            }
        }
    }

    @Test func failuresAreRetriedAndLoggedOncePerBurst() async throws {
        try await Self.withWriter(failures: 7) { writer, disk, logs in
            for msn in 0..<5 { writer.enqueue(SegmentRecordTests.segment(msn: msn)) }
            try await Self.waitUntil { writer.statistics.segments == 5 }
            #expect(try await disk.list(prefix: "match1/").compactMap(SegmentRecord.init).map(\.msn) == Array(0..<5))
            #expect(writer.statistics.failures == 7)
            #expect(!writer.statistics.failing)
            #expect(logs.text.split(separator: "\n").filter { $0.contains("archive write failed") }.count == 1)
            #expect(logs.text.split(separator: "\n").filter { $0.contains("archive writes resumed") }.count == 1)
        }
    }

    @Test func aFullQueueDropsAndCounts() async throws {
        // Room for two 13-byte segments only, and a store that stalls on failures meanwhile.
        try await Self.withWriter(failures: 1_000_000, maximumPendingBytes: 30) { writer, _, _ in
            #expect(writer.enqueue(SegmentRecordTests.segment(msn: 0)))
            #expect(writer.enqueue(SegmentRecordTests.segment(msn: 1)))
            #expect(!writer.enqueue(SegmentRecordTests.segment(msn: 2)))
            #expect(writer.statistics.dropped == 1)
            #expect(writer.statistics.pending == 2)
        }
    }
}
