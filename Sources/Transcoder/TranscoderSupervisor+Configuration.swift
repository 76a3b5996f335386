extension TranscoderSupervisor {
    /// Timing of restarts and stops.
    public struct Configuration: Sendable, Hashable {
        /// The delay before the first restart after an unexpected exit; each further consecutive
        /// failure doubles it. Half a second lets a transient failure pass without a visible gap
        /// growing in the live window.
        public var initialBackoff: Duration
        /// How many more failures in a row wait ``initialBackoff`` before the delay starts
        /// doubling (0: it doubles from the second failure). A destination that restarts keeps being tried every
        /// second for a while, then less often.
        public var retriesAtInitialBackoff: Int
        /// The longest delay between restarts: a process that keeps failing is retried every 10 s,
        /// so the channel recovers soon after the cause goes away.
        public var maximumBackoff: Duration
        /// A process that ran this long before it failed counts as healthy: the backoff starts
        /// again from ``initialBackoff``.
        public var stableRunDuration: Duration
        /// How long FFmpeg gets to flush and exit after its stdin closes, before SIGTERM (and as
        /// long again before SIGKILL).
        public var stopGracePeriod: Duration

        public init(
            initialBackoff: Duration = .milliseconds(500),
            maximumBackoff: Duration = .seconds(10),
            stableRunDuration: Duration = .seconds(30),
            stopGracePeriod: Duration = .seconds(5),
            retriesAtInitialBackoff: Int = 0
        ) {
            self.retriesAtInitialBackoff = retriesAtInitialBackoff
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.stableRunDuration = stableRunDuration
            self.stopGracePeriod = stopGracePeriod
        }

        /// The delay before the restart that follows failure number `failures` (1-based):
        /// 0.5 s, 1 s, 2 s, 4 s, 8 s, then 10 s with the defaults; ``retriesAtInitialBackoff``
        /// more failures wait ``initialBackoff`` first.
        public func backoff(afterFailures failures: Int) -> Duration {
            var delay = initialBackoff
            for _ in 1..<max(failures - max(retriesAtInitialBackoff, 0), 1) {
                delay *= 2
                if delay >= maximumBackoff { return maximumBackoff }
            }
            return min(delay, maximumBackoff)
        }
    }
}
