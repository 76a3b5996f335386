import Foundation

/// A channel's schedule for a 24/7 channel: items in strictly increasing start order. Each plays
/// from its start until the next item's start (a shorter file loops), the last until the schedule
/// changes; before the first start nothing of it plays (the channel plays its slate, if any).
public struct ChannelSchedule: Sendable, Hashable {
    public var items: [ScheduleItem]

    public init(items: [ScheduleItem]) {
        self.items = items
    }

    /// The item playing at `time` and how far into it the clock is; nil before the first item's
    /// start (or for an empty schedule).
    public func cue(at time: Date) -> ScheduleCue? {
        // Items are sorted by start: the last one started is the one playing.
        guard let index = items.lastIndex(where: { $0.startsAt <= time }) else { return nil }
        let item = items[index]
        let elapsed = item.elapsedMilliseconds(at: time)
        let next = index + 1 < items.count ? items[index + 1].startsAt : nil
        return ScheduleCue(index: index, item: item, elapsedMilliseconds: max(0, elapsed), endsAt: next)
    }
}

/// Where a schedule is at one time: which item, since when, until when.
public struct ScheduleCue: Sendable, Hashable {
    /// The item's position in the schedule.
    public let index: Int
    public let item: ScheduleItem
    /// Wall-clock milliseconds since the item's start.
    public let elapsedMilliseconds: Int64
    /// The next item's start; nil for the last item, which plays until the schedule changes.
    public let endsAt: Date?

    public init(index: Int, item: ScheduleItem, elapsedMilliseconds: Int64, endsAt: Date?) {
        self.index = index
        self.item = item
        self.elapsedMilliseconds = elapsedMilliseconds
        self.endsAt = endsAt
    }

    /// Where to start a file of `durationMilliseconds` so that it is where the clock says: the
    /// file loops from the item's start, so the offset is the elapsed time modulo its duration
    /// (zero for a file whose duration is unknown or zero).
    public func offsetMilliseconds(inFileOf durationMilliseconds: Int64) -> Int64 {
        Self.offsetMilliseconds(elapsed: elapsedMilliseconds, inFileOf: durationMilliseconds)
    }

    /// Where a looping file of `durationMilliseconds` is `elapsed` milliseconds after it started.
    public static func offsetMilliseconds(elapsed: Int64, inFileOf durationMilliseconds: Int64) -> Int64 {
        guard durationMilliseconds > 0, elapsed > 0 else { return 0 }
        return elapsed % durationMilliseconds
    }
}
