/// When an ``SRTPull`` tries again, and which of its failures are logged: every second for the
/// first attempts (an encoder restarting, a link coming back), then doubling up to
/// ``maximumDelay`` (an encoder switched off for the night is asked twice a minute, not every
/// second). A publish that ends before it was steady counts as a failed attempt, so that an
/// encoder whose stream is refused at once is not called every second either. A pull that keeps
/// failing the same way logs it once; a new kind of failure, or the first one after a publish, is
/// logged again. Pure: time is given.
struct SRTPullSchedule: Sendable {
    /// Attempts in a row that failed since the last steady publish.
    private(set) var failures = 0
    /// When the next attempt is due.
    private(set) var nextAttempt: ContinuousClock.Instant
    /// The failure logged last, until a publish succeeds.
    private var lastLogged: SRTPullFailure?
    /// When the publish under way started.
    private var publishedAt: ContinuousClock.Instant?

    /// Attempts made one second apart before backing off: a few seconds of an encoder's restart.
    static let quickAttempts = 5
    static let quickDelay: Duration = .seconds(1)
    /// The longest wait between two attempts: an encoder that comes back is found within 30 s.
    static let maximumDelay: Duration = .seconds(30)
    /// A publish that lasted this long was a working one: its end starts the schedule afresh
    /// (five segments of the default 2 s target).
    static let steadyPublish: Duration = .seconds(10)

    /// The first attempt is due at `now`.
    init(now: ContinuousClock.Instant) {
        nextAttempt = now
    }

    /// The wait after `failures` failed attempts in a row.
    static func delay(afterFailures failures: Int) -> Duration {
        guard failures > quickAttempts else { return quickDelay }
        // 2, 4, 8, 16 s, then the cap: the exponent is bounded before it is used.
        let doublings = min(failures - quickAttempts, 5)
        return min(quickDelay * (1 << doublings), maximumDelay)
    }

    /// An attempt failed at `now`: the next one is scheduled. Returns whether to log it.
    mutating func failed(_ failure: SRTPullFailure, at now: ContinuousClock.Instant) -> Bool {
        failures += 1
        nextAttempt = now + Self.delay(afterFailures: failures)
        defer { lastLogged = failure }
        return lastLogged != failure
    }

    /// A publish started at `now`: the next failure is logged whatever it is.
    mutating func published(at now: ContinuousClock.Instant) {
        publishedAt = now
        lastLogged = nil
    }

    /// The publish ended at `now` (the listener has logged why): after a steady one the next
    /// attempt is a second later; a short one counts as a failure.
    mutating func ended(at now: ContinuousClock.Instant) {
        let steady = publishedAt.map { now - $0 >= Self.steadyPublish } ?? false
        publishedAt = nil
        failures = steady ? 1 : failures + 1
        nextAttempt = now + Self.delay(afterFailures: failures)
    }
}
