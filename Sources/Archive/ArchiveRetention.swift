import NIOConcurrencyHelpers

/// Applies a ``RetentionPolicy`` to a channel's archive: deletes its oldest segments, in every
/// rendition, except those a pinned time range (a retained recording, a clip) overlaps and those
/// still in the live window's reach.
///
/// A pass walks the hours that exist (``ArchiveStore/listDirectories(prefix:)``). Byte totals of
/// finished hours are remembered, so a pass over a two-week archive lists only the current hours
/// and the ones it deletes from.
public final class ArchiveRetention: Sendable {
    public struct Outcome: Sendable, Hashable {
        public var deletedSegments = 0
        public var deletedBytes: Int64 = 0
        /// Bytes of the channel's segments after the pass.
        public var keptBytes: Int64 = 0
        /// Segments past the policy that a pinned range kept.
        public var pinnedSegments = 0
        /// Wall-clock time (Unix ms) of the oldest segment left, in any rendition.
        public var oldestKept: Int64?
    }

    private struct Hour: Hashable {
        var rendition: String
        var day: String
        var hour: String
        var prefix: String { "\(rendition)/\(day)/\(hour)/" }
        /// Segments are filed by their first sample's time, so an hour's are all older than its end.
        var start: Int64 { SegmentRecord.startOfHour(day: day, hour: hour) ?? .max }
    }

    private struct Totals {
        var bytes: Int64
        var oldest: Int64?
    }

    private let store: any ArchiveStore
    /// Byte totals of hours nothing more is written to, by `{channel}/{rendition}/{day}/{hour}/`.
    private let finished = NIOLockedValueBox<[String: Totals]>([:])

    /// Nothing younger than this is deleted, whatever the policy: the live window and the
    /// segments a DVR playlist lists right behind it. 15 minutes by default.
    private let protectedMilliseconds: Int64
    public static let defaultProtectedMilliseconds: Int64 = 15 * 60 * 1000
    /// Hour totals remembered: two weeks of hours for 100 renditions.
    static let rememberedHours = 33_600

    public init(store: any ArchiveStore, protectedMilliseconds: Int64 = ArchiveRetention.defaultProtectedMilliseconds) {
        self.store = store
        self.protectedMilliseconds = protectedMilliseconds
    }

    /// One pass over `channel`. `pinned` are Unix ms ranges whose segments stay.
    public func apply(channel: String, policy: RetentionPolicy, pinned: [Range<Int64>], now: Int64) async throws(ArchiveError) -> Outcome {
        _ = try ArchiveKey(channel)
        var hours: [Hour] = []
        for rendition in try await store.listDirectories(prefix: channel + "/") {
            for day in try await store.listDirectories(prefix: "\(channel)/\(rendition)/") where day.count == 8 {
                for hour in try await store.listDirectories(prefix: "\(channel)/\(rendition)/\(day)/") where hour.count == 2 {
                    hours.append(Hour(rendition: rendition, day: day, hour: hour))
                }
            }
        }
        hours.sort { ($0.day, $0.hour, $0.rendition) < ($1.day, $1.hour, $1.rendition) }

        var totals: [Hour: Totals] = [:]
        for hour in hours { totals[hour] = try await self.totals(channel: channel, hour: hour, now: now) }
        var outcome = Outcome()
        var kept = totals.values.reduce(0) { $0 + $1.bytes }
        let floor = now - protectedMilliseconds
        let ageCutoff = policy.maximumAge.map { min(floor, now - $0) }
        func overBudget() -> Bool { policy.maximumBytes.map { kept > $0 } ?? false }

        // An hour at a time, every rendition's segments of that hour together, oldest first.
        var index = hours.startIndex
        while index < hours.endIndex {
            let start = hours[index].start
            let outOfAge = ageCutoff.map { start < $0 } ?? false
            guard outOfAge || overBudget(), start < floor else { break }
            let group = hours[index...].prefix { ($0.day, $0.hour) == (hours[index].day, hours[index].hour) }
            index = group.endIndex
            var listed: [(hour: Hour, records: [SegmentRecord], marked: [Int: ArchiveKey])] = []
            for hour in group {
                let objects = try await store.list(prefix: "\(channel)/\(hour.prefix)")
                var marked: [Int: ArchiveKey] = [:]
                for object in objects { if let msn = SegmentRecord.markersMSN(of: object) { marked[msn] = object.key } }
                listed.append((hour, objects.compactMap(SegmentRecord.init), marked))
            }
            let candidates = listed.flatMap { entry in entry.records.map { (hour: entry.hour, record: $0) } }
                .sorted { ($0.record.programDateTime, $0.record.rendition) < ($1.record.programDateTime, $1.record.rendition) }
            var doomed: [Hour: [SegmentRecord]] = [:]
            for (hour, record) in candidates {
                let end = record.programDateTime + record.durationMilliseconds
                let expired = ageCutoff.map { end <= $0 } ?? false
                guard (expired || overBudget()) && end <= floor else { break }
                if pinned.contains(where: { $0.lowerBound < end && record.programDateTime < $0.upperBound }) {
                    outcome.pinnedSegments += 1
                    continue
                }
                doomed[hour, default: []].append(record)
                kept -= record.size
            }
            for (hour, records, marked) in listed {
                guard let gone = doomed[hour] else { continue }
                var keys: [ArchiveKey] = []
                for record in gone {
                    // Its markers go before it, as they came: a segment is never listed without them.
                    if let markers = marked[record.msn] { keys.append(markers) }
                    keys.append(try record.key)
                }
                // Markers whose segment never came (a crash between the two writes), older than
                // what goes: nothing will list them.
                let numbers = Set(records.map(\.msn))
                let newest = gone.map(\.msn).max() ?? 0
                keys += marked.filter { $0.key < newest && !numbers.contains($0.key) }.sorted { $0.key < $1.key }.map(\.value)
                try await store.delete(keys)
                let bytes = gone.reduce(0) { $0 + $1.size }
                outcome.deletedSegments += gone.count
                outcome.deletedBytes += bytes
                finished.withLockedValue { _ = $0.removeValue(forKey: "\(channel)/\(hour.prefix)") }
                if gone.count == records.count { totals[hour] = nil } else { totals[hour]?.bytes -= bytes }
            }
        }
        try await removeUnusedInits(channel: channel, renditions: Set(hours.map(\.rendition)), remaining: Set(totals.keys.map(\.rendition)))
        outcome.keptBytes = kept
        outcome.oldestKept = try await oldest(channel: channel, hours: hours.filter { totals[$0] != nil })
        return outcome
    }

    /// An hour's bytes: listed, or remembered once the hour is finished.
    private func totals(channel: String, hour: Hour, now: Int64) async throws(ArchiveError) -> Totals {
        let prefix = "\(channel)/\(hour.prefix)"
        if let known = finished.withLockedValue({ $0[prefix] }) { return known }
        let records = try await store.list(prefix: prefix).compactMap(SegmentRecord.init)
        let totals = Totals(bytes: records.reduce(0) { $0 + $1.size }, oldest: records.map(\.programDateTime).min())
        if now > hour.start + 3_600_000 + ArchiveReader.settleMilliseconds {
            finished.withLockedValue { finished in
                if finished.count >= Self.rememberedHours { finished.removeAll() }
                finished[prefix] = totals
            }
        }
        return totals
    }

    /// The oldest segment's time: in the first hour of each rendition that still holds any.
    private func oldest(channel: String, hours: [Hour]) async throws(ArchiveError) -> Int64? {
        var firstHours: [String: Hour] = [:]
        for hour in hours where firstHours[hour.rendition] == nil { firstHours[hour.rendition] = hour }
        var oldest: Int64?
        for hour in firstHours.values {
            let records = try await store.list(prefix: "\(channel)/\(hour.prefix)").compactMap(SegmentRecord.init)
            if let first = records.map(\.programDateTime).min() { oldest = min(oldest ?? first, first) }
        }
        return oldest
    }

    /// A rendition left with no segment has no use for its init segments.
    private func removeUnusedInits(channel: String, renditions: Set<String>, remaining: Set<String>) async throws(ArchiveError) {
        for rendition in renditions.subtracting(remaining).sorted() {
            let inits = try await store.list(prefix: "\(channel)/\(rendition)/init/").map(\.key)
            if !inits.isEmpty { try await store.delete(inits) }
        }
    }
}
