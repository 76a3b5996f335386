import Foundation

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
