import NIOConcurrencyHelpers

/// What an edge counts of its pulls, read by `/metrics`.
public final class EdgeStatistics: Sendable {
    public struct Counts: Sendable, Hashable {
        /// Requests sent to origins: playlists, parts, segments, init segments, pass-through.
        public var upstreamRequests = 0
        /// Requests that failed while no other origin was there to move to.
        public var upstreamFailures = 0
        /// Times the pulls moved to the next origin.
        public var failovers = 0
        /// Body bytes received from origins.
        public var upstreamBytes = 0
        /// Channels pulled since the start, and dropped for want of viewers.
        public var channelsStarted = 0
        public var channelsDropped = 0
    }

    private let counts = NIOLockedValueBox(Counts())

    public init() {}

    public var snapshot: Counts { counts.withLockedValue { $0 } }

    func count(_ counter: WritableKeyPath<Counts, Int>) {
        counts.withLockedValue { $0[keyPath: counter] += 1 }
    }

    func add(bytes: Int) {
        counts.withLockedValue { $0.upstreamBytes += bytes }
    }
}
