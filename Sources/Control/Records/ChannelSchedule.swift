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
