import NIOCore

/// The viewers on one event loop. Confined to that loop.
final class Crowd {
    /// What the crowd has done so far: its viewers' counts summed, and each one's parts.
    struct Snapshot: Sendable {
        var counts = ViewerCounts()
        var parts: [Int] = []
    }

    private let viewers: [Viewer]

    init(viewers: [Viewer]) {
        self.viewers = viewers
    }

    /// Starts viewer `i` at `i * interval` from now: a staggered start.
    func start(interval: TimeAmount) {
        for (i, viewer) in viewers.enumerated() {
            viewer.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(interval.nanoseconds * Int64(i))) { viewer.start() }
        }
    }

    func snapshot() -> Snapshot {
        Snapshot(counts: viewers.reduce(ViewerCounts()) { $0 + $1.counts }, parts: viewers.map(\.counts.parts))
    }

    /// The arrivals between `start` and `end` (monotonic nanoseconds).
    func arrivals(from start: UInt64, to end: UInt64) -> [Viewer.Arrival] {
        viewers.flatMap { $0.arrivals.filter { (start...end).contains($0.nanoseconds) } }
    }

    func stop() {
        for viewer in viewers { viewer.stop() }
    }
}
