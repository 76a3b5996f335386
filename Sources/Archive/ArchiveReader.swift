import Logging
import MediaCore
import NIOConcurrencyHelpers
import NIOCore

/// Reads the archive's index and media for playback. The index of a rendition is read an hour at a
/// time (one listing per hour, see ``SegmentRecord``); listings of finished hours are kept, the
/// current hour's for a second, so many viewers of one DVR window cost one listing. A listed
/// segment with a markers' object gets its markers (``SegmentMarkers``), each object read once.
public final class ArchiveReader: Sendable {
    private let store: any ArchiveStore
    private let now: @Sendable () -> Int64
    private let logger: Logger
    /// Segments' markers never change once written: read once, by the markers' key.
    private let markerCache = NIOLockedValueBox<[ArchiveKey: [LiveMarker]]>([:])
    private let cache = NIOLockedValueBox<[String: Listing]>([:])
    private let directoryCache = NIOLockedValueBox<[String: (names: [String], readAt: Int64)]>([:])
    /// Descriptors never change once written (their key names the init's content).
    private let descriptors = NIOLockedValueBox<[ArchiveKey: RenditionDescriptor]>([:])

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

    /// - Parameter logger: says, in one line each, which markers' object could not be read (its
    ///   segment is listed without markers).
    public init(store: any ArchiveStore, now: @escaping @Sendable () -> Int64, logger: Logger = Logger(label: "antenne.archive")) {
        self.store = store
        self.now = now
        self.logger = logger
    }

    /// The archived segments of a rendition whose first sample's wall-clock time is in
    /// `from..<to` (Unix ms), by media sequence number. Only days and hours that exist are read, so
    /// a long range over a sparse archive costs what the archive holds, not what the range spans.
    public func records(channel: String, rendition: String, from: Int64, to: Int64) async throws(ArchiveError) -> [SegmentRecord] {
        guard from < to else { return [] }
        let base = "\(channel)/\(rendition)/"
        _ = try ArchiveKey(String(base.dropLast()))
        let first = SegmentRecord.hourPath(from)
        let last = SegmentRecord.hourPath(to - 1)
        var records: [SegmentRecord] = []
        for day in try await directories(base) where day.count == 8 && day >= first[0] && day <= last[0] {
            for hour in try await directories(base + day + "/") where hour.count == 2 {
                guard (day, hour) >= (first[0], first[1]), (day, hour) <= (last[0], last[1]) else { continue }
                records += try await listing(prefix: base + day + "/" + hour + "/")
            }
        }
        return records.filter { $0.programDateTime >= from && $0.programDateTime < to }.sorted()
    }

    /// One directory level, reused for a second (days and hours appear as time goes on).
    private func directories(_ prefix: String) async throws(ArchiveError) -> [String] {
        let now = now()
        if let cached = directoryCache.withLockedValue({ $0[prefix] }), now - cached.readAt < Self.liveListingMilliseconds {
            return cached.names
        }
        let names = try await store.listDirectories(prefix: prefix)
        directoryCache.withLockedValue { cache in
            if cache.count >= Self.cachedListings { cache.removeAll() }
            cache[prefix] = (names, now)
        }
        return names
    }

    private func listing(prefix: String) async throws(ArchiveError) -> [SegmentRecord] {
        let now = now()
        if let cached = cache.withLockedValue({ $0[prefix] }),
           cached.final || now - cached.readAt < Self.liveListingMilliseconds {
            return cached.records
        }
        let objects = try await store.list(prefix: prefix)
        var records = objects.compactMap(SegmentRecord.init)
        let marked = Set(objects.compactMap(SegmentRecord.markersMSN))
        if !marked.isEmpty {
            for index in records.indices where marked.contains(records[index].msn) {
                records[index].markers = try await markers(of: records[index])
            }
        }
        // Final once the newest segment filed here is long past (hours are filed by start time).
        let final = records.map(\.programDateTime).max().map { now > $0 + 3_600_000 + Self.settleMilliseconds } ?? false
        cache.withLockedValue { cache in
            if cache.count >= Self.cachedListings, let oldest = cache.min(by: { $0.value.readAt < $1.value.readAt })?.key {
                cache.removeValue(forKey: oldest)
            }
            cache[prefix] = Listing(records: records, readAt: now, final: final)
        }
        return records
    }

    /// The markers kept with `record`, which has a markers' object. One that is not what the
    /// archive writes is logged once and read as none: its segment still plays.
    private func markers(of record: SegmentRecord) async throws(ArchiveError) -> [LiveMarker] {
        let key = try record.markersKey
        if let known = markerCache.withLockedValue({ $0[key] }) { return known }
        var found: [LiveMarker] = []
        if let buffer = try await store.get(key) {
            do {
                found = try SegmentMarkers.decode(buffer, msn: record.msn)
            } catch {
                logger.warning("archived markers not read; the segment is listed without them", metadata: [
                    "key": "\(key)", "error": "\(error)",
                ])
            }
        }
        markerCache.withLockedValue { cache in
            if cache.count >= Self.cachedListings { cache.removeAll() }
            cache[key] = found
        }
        return found
    }

    /// The highest media sequence number archived for the channel, in any rendition: a channel that
    /// starts again (after a restart or a crash) numbers on from there. Reads the newest hour of
    /// each rendition.
    public func lastMSN(channel: String) async throws(ArchiveError) -> Int? {
        _ = try ArchiveKey(channel)
        var last: Int?
        for rendition in try await store.listDirectories(prefix: channel + "/") {
            guard let day = try await store.listDirectories(prefix: "\(channel)/\(rendition)/").last(where: { $0.count == 8 }),
                  let hour = try await store.listDirectories(prefix: "\(channel)/\(rendition)/\(day)/").last(where: { $0.count == 2 })
            else { continue }
            let records = try await store.list(prefix: "\(channel)/\(rendition)/\(day)/\(hour)/").compactMap(SegmentRecord.init)
            if let newest = records.map(\.msn).max() { last = max(last ?? newest, newest) }
        }
        return last
    }

    /// Forgets cached listings of a channel (after retention deleted some of its segments).
    public func invalidate(channel: String) {
        cache.withLockedValue { cache in cache = cache.filter { !$0.key.hasPrefix(channel + "/") } }
        directoryCache.withLockedValue { cache in cache = cache.filter { !$0.key.hasPrefix(channel + "/") } }
        markerCache.withLockedValue { cache in cache = cache.filter { !$0.key.value.hasPrefix(channel + "/") } }
    }

    /// An archived segment's bytes by its record's file name within `{channel}/{rendition}/{day}/{hour}/`.
    public func segment(channel: String, rendition: String, day: String, hour: String, name: String) async throws(ArchiveError) -> ByteBuffer? {
        let key = try ArchiveKey(components: [channel, rendition, day, hour, name])
        guard SegmentRecord(ArchiveObject(key: key, size: 0)) != nil else { return nil }
        return try await store.get(key)
    }

    /// What the init segment `id` of a rendition describes; nil if it has no descriptor.
    public func descriptor(channel: String, rendition: String, id: String) async throws(ArchiveError) -> RenditionDescriptor? {
        let key = try SegmentRecord.descriptorKey(channel: channel, rendition: rendition, id: id)
        if let known = descriptors.withLockedValue({ $0[key] }) { return known }
        guard let buffer = try await store.get(key) else { return nil }
        let descriptor = try RenditionDescriptor(decoding: buffer)
        descriptors.withLockedValue { cache in
            if cache.count >= Self.cachedListings { cache.removeAll() }
            cache[key] = descriptor
        }
        return descriptor
    }

    /// The renditions a channel's archive holds (those with a dated directory).
    public func renditions(channel: String) async throws(ArchiveError) -> [String] {
        _ = try ArchiveKey(channel)
        var names: [String] = []
        for name in try await directories(channel + "/") where try await directories("\(channel)/\(name)/").contains(where: { $0.count == 8 }) {
            names.append(name)
        }
        return names
    }

    /// Part of a stored object too large to read whole (a clip), by its key.
    public func read(_ key: String, from offset: Int64, count: Int) async throws(ArchiveError) -> ObjectRange? {
        try await store.read(try ArchiveKey(key), from: offset, count: count)
    }

    public func initSegment(channel: String, rendition: String, id: String) async throws(ArchiveError) -> ByteBuffer? {
        try await store.get(try SegmentRecord.initKey(channel: channel, rendition: rendition, id: id))
    }
}
