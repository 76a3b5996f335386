import Archive
import Foundation
import NIOCore
import Testing

/// Retention by age and by bytes, pins, the protected live edge, and init segments.
@Suite struct ArchiveRetentionTests {
    static let hour = ArchiveReaderTests.hour
    static let t0 = ArchiveReaderTests.t0
    /// Each test segment: "segment bytes" (13 bytes), 2.002 s.
    static let size: Int64 = 13

    /// Two renditions, one segment every 15 minutes from t0 - 6 h to t0 (25 each).
    static func fill(_ store: some ArchiveStore, channel: String = "match1") async throws {
        for index in 0...24 {
            let pdt = t0 - 6 * hour + Int64(index) * 900_000
            try await ArchiveReaderTests.put(store, rendition: "720p", msn: index, at: pdt, channel: channel)
            try await ArchiveReaderTests.put(store, rendition: "audio", msn: index, at: pdt, channel: channel)
        }
        try await store.put(try ArchiveKey("\(channel)/720p/init/0123456789abcdef.mp4"), ByteBuffer(string: "init"))
    }

    static func msns(_ store: some ArchiveStore, _ rendition: String, channel: String = "match1") async throws -> [Int] {
        try await store.list(prefix: "\(channel)/\(rendition)/").compactMap(SegmentRecord.init).map(\.msn).sorted()
    }

    @Test func byAgeDeletesWhatIsOlderInEveryRendition() async throws {
        try await ArchiveReaderTests.withDisk { store in
            try await Self.fill(store)
            try await Self.fill(store, channel: "other")
            let retention = ArchiveRetention(store: store)
            let outcome = try await retention.apply(
                channel: "match1", policy: RetentionPolicy(maximumAge: 2 * Self.hour), pinned: [], now: Self.t0)
            // Segments ending by t0 - 2 h go: indices 0...15 (index 16 starts at t0 - 2 h).
            #expect(try await Self.msns(store, "720p") == Array(16...24))
            #expect(try await Self.msns(store, "audio") == Array(16...24))
            #expect(outcome.deletedSegments == 32)
            #expect(outcome.deletedBytes == 32 * Self.size)
            #expect(outcome.keptBytes == 18 * Self.size)
            #expect(outcome.oldestKept == Self.t0 - 2 * Self.hour)
            #expect(try await Self.msns(store, "720p", channel: "other").count == 25, "other channels are not touched")
            #expect(try await store.listDirectories(prefix: "match1/720p/20261122/") == ["10", "11", "12"])
            // A second pass has nothing left to do.
            let again = try await retention.apply(
                channel: "match1", policy: RetentionPolicy(maximumAge: 2 * Self.hour), pinned: [], now: Self.t0)
            #expect(again.deletedSegments == 0 && again.keptBytes == 18 * Self.size)
        }
    }

    @Test func byBytesDeletesTheOldestFirst() async throws {
        try await ArchiveReaderTests.withDisk { store in
            try await Self.fill(store)
            let outcome = try await ArchiveRetention(store: store).apply(
                channel: "match1", policy: RetentionPolicy(maximumBytes: 20 * Self.size), pinned: [], now: Self.t0)
            #expect(outcome.keptBytes == 20 * Self.size)
            #expect(try await Self.msns(store, "720p") == Array(15...24))
            #expect(try await Self.msns(store, "audio") == Array(15...24))
        }
    }

    @Test func pinnedRangesAndTheLiveEdgeStay() async throws {
        try await ArchiveReaderTests.withDisk { store in
            try await Self.fill(store)
            // A recording over indices 2 and 3 (t0 - 5.5 h to t0 - 5.25 h + 1 s).
            let pin = (Self.t0 - 6 * Self.hour + 1_800_000)..<(Self.t0 - 6 * Self.hour + 2_700_001)
            let outcome = try await ArchiveRetention(store: store).apply(
                channel: "match1", policy: RetentionPolicy(maximumBytes: 0), pinned: [pin], now: Self.t0)
            // Everything else goes but the last 15 minutes (index 23 starts at t0 - 15 min and ends after it).
            #expect(try await Self.msns(store, "720p") == [2, 3, 23, 24])
            #expect(outcome.pinnedSegments == 4)
            #expect(try await store.get(try ArchiveKey("match1/720p/init/0123456789abcdef.mp4")) != nil)
        }
    }

    @Test func aRenditionWithNothingLeftLosesItsInitSegments() async throws {
        try await ArchiveReaderTests.withDisk { store in
            try await Self.fill(store)
            _ = try await ArchiveRetention(store: store).apply(
                channel: "match1", policy: RetentionPolicy(maximumAge: 0), pinned: [], now: Self.t0 + 10 * Self.hour)
            #expect(try await store.list(prefix: "match1/").isEmpty)
            #expect(try await store.listDirectories(prefix: "match1/").isEmpty)
        }
    }

    @Test func noPolicyKeepsEverything() async throws {
        try await ArchiveReaderTests.withDisk { store in
            try await Self.fill(store)
            let outcome = try await ArchiveRetention(store: store).apply(channel: "match1", policy: .keepEverything, pinned: [], now: Self.t0)
            #expect(outcome.deletedSegments == 0 && outcome.keptBytes == 50 * Self.size)
            #expect(outcome.oldestKept == Self.t0 - 6 * Self.hour)
        }
    }
}
