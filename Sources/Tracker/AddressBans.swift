/// The addresses the tracker turned away from a channel's swarms, each until its ban runs out: a
/// peer closed for bad data (``TrackerLimits/reportsToBan`` reports) cannot come back on a new
/// connection from the same address for ``TrackerLimits/addressBanDuration``. Bounded by
/// ``TrackerLimits/maximumAddressBans``: when full, the ban that would end first makes room.
/// Time is given, not read.
struct AddressBans: Sendable {
    struct Key: Hashable, Sendable {
        var address: String
        var channel: String
    }

    private(set) var until: [Key: ContinuousClock.Instant] = [:]
    let duration: Duration
    let capacity: Int

    init(duration: Duration = TrackerLimits.addressBanDuration, capacity: Int = TrackerLimits.maximumAddressBans) {
        self.duration = duration
        self.capacity = capacity
    }

    /// Whether `address` is turned away from `channel` now. Bans that ran out are dropped when
    /// the next ban needs room.
    func isBanned(_ address: String, from channel: String, now: ContinuousClock.Instant) -> Bool {
        guard let end = until[Key(address: address, channel: channel)] else { return false }
        return end > now
    }

    /// Turns `address` away from `channel` from `now` for ``duration``.
    mutating func ban(_ address: String, from channel: String, now: ContinuousClock.Instant) {
        let key = Key(address: address, channel: channel)
        if until[key] == nil, until.count >= capacity {
            until = until.filter { $0.value > now }
            if until.count >= capacity, let first = until.min(by: { $0.value < $1.value }) { until[first.key] = nil }
        }
        until[key] = now + duration
    }
}
