/// A token bucket (RFC 2697's single rate, one colour): ``TrackerLimits/messagesPerSecond``
/// sustained, ``TrackerLimits/messageBurst`` at once. Time is given, not read.
struct MessageBudget: Sendable, Equatable {
    private(set) var tokens: Double
    private var refilledAt: ContinuousClock.Instant
    let rate: Double
    let burst: Double

    init(now: ContinuousClock.Instant, rate: Double = TrackerLimits.messagesPerSecond, burst: Double = TrackerLimits.messageBurst) {
        self.rate = rate
        self.burst = burst
        tokens = burst
        refilledAt = now
    }

    /// Takes one message's token; false when the budget is spent.
    mutating func spend(now: ContinuousClock.Instant) -> Bool {
        let elapsed = now - refilledAt
        if elapsed > .zero {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            tokens = min(burst, tokens + seconds * rate)
            refilledAt = now
        }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
