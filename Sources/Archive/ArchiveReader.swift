import NIOConcurrencyHelpers
import NIOCore

/// Reads the archive's index and media for playback. The index of a rendition is read an hour at a
/// time (one listing per hour, see ``SegmentRecord``); listings of finished hours are kept, the
/// current hour's for a second, so many viewers of one DVR window cost one listing.
public final class ArchiveReader: Sendable {
    private let store: any ArchiveStore
    private let now: @Sendable () -> Int64
    private let cache = NIOLockedValueBox<[String: Listing]>([:])

    private struct Listing {
        var records: [SegmentRecord]
        var readAt: Int64
        var final: Bool
    }

    /// Hour listings kept: two weeks of hours for 12 renditions. Past that, the oldest go.
    static let cachedListings = 4_096
    /// An hour is final (nothing more will be written to it) this long after it ends: segments are
    /// filed by their first sample's time, and an archive write can lag.
    static let settleMilliseconds: Int64 = 10 * 60 * 1000
    /// How long the listing of an hour still being written is reused.
    static let liveListingMilliseconds: Int64 = 1_000

    public init(store: any ArchiveStore, now: @escaping @Sendable () -> Int64) {
        self.store = store
        self.now = now
    }

    /// The archived segments of a rendition whose first sample's wall-clock time is in
    /// `from..<to` (Unix ms), by media sequence number.
    public func records(channel: String, rendition: String, from: Int64, to: Int64) async throws(ArchiveError) -> [SegmentRecord] {
        guard from < to else { return [] }
        let hourMs: Int64 = 3_600_000
        var records: [SegmentRecord] = []
        var hour = from - ((from % hourMs) + hourMs) % hourMs
        while hour < to {
            records += try await listing(channel: channel, rendition: rendition, hourStart: hour)
            hour += hourMs
        }
        return records.filter { $0.programDateTime >= from && $0.programDateTime < to }.sorted()
    }

    private func listing(channel: String, rendition: String, hourStart: Int64) async throws(ArchiveError) -> [SegmentRecord] {
        let prefix = ([channel, rendition] + SegmentRecord.hourPath(hourStart)).joined(separator: "/") + "/"
        let now = now()
        if let cached = cache.withLockedValue({ $0[prefix] }),
           cached.final || now - cached.readAt < Self.liveListingMilliseconds {
            return cached.records
        }
        // Names are checked before they become a prefix: a listing never leaves the channel.
        _ = try ArchiveKey(prefix.dropLast().description)
        let records = try await store.list(prefix: prefix).compactMap(SegmentRecord.init)
        let final = now > hourStart + 3_600_000 + Self.settleMilliseconds
        cache.withLockedValue { cache in
            if cache.count >= Self.cachedListings, let oldest = cache.min(by: { $0.value.readAt < $1.value.readAt })?.key {
                cache.removeValue(forKey: oldest)
            }
            cache[prefix] = Listing(records: records, readAt: now, final: final)
        }
        return records
    }

    /// Forgets cached listings of a channel (after retention deleted some of its segments).
    public func invalidate(channel: String) {
        cache.withLockedValue { cache in cache = cache.filter { !$0.key.hasPrefix(channel + "/") } }
    }

    /// An archived segment's bytes by its record's file name within `{channel}/{rendition}/{day}/{hour}/`.
    public func segment(channel: String, rendition: String, day: String, hour: String, name: String) async throws(ArchiveError) -> ByteBuffer? {
        let key = try ArchiveKey(components: [channel, rendition, day, hour, name])
        guard SegmentRecord(ArchiveObject(key: key, size: 0)) != nil else { return nil }
        return try await store.get(key)
    }

    public func initSegment(channel: String, rendition: String, id: String) async throws(ArchiveError) -> ByteBuffer? {
        try await store.get(try SegmentRecord.initKey(channel: channel, rendition: rendition, id: id))
    }
}
