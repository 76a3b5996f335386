import NIOConcurrencyHelpers

/// The running tracker: ``Swarms`` behind a lock, and each connected peer's outbound queue. The
/// state machine runs under the lock; its messages are queued after the lock is released.
public final class TrackerHub: Sendable {
    public typealias Outlet = AsyncStream<TrackerEvent>.Continuation

    private struct State {
        var swarms: Swarms
        var outlets: [PeerID: Outlet] = [:]
    }

    private let state: NIOLockedValueBox<State>
    private let clock: @Sendable () -> ContinuousClock.Instant

    public init(maximumSwarmSize: Int = TrackerLimits.maximumSwarmSize, clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        state = NIOLockedValueBox(State(swarms: Swarms(maximumSwarmSize: maximumSwarmSize)))
        self.clock = clock
    }

    /// A new connection to `key` from `address` (`nil`: not known): its id and the stream of what
    /// to send it. The stream finishes when the tracker closes the connection (a refusal is its
    /// last event).
    public func join(_ key: SwarmKey, from address: String? = nil) -> (PeerID, AsyncStream<TrackerEvent>) {
        let (stream, outlet) = AsyncStream.makeStream(of: TrackerEvent.self, bufferingPolicy: .bufferingNewest(TrackerLimits.maximumQueuedEvents))
        let peer = PeerID.random()
        let now = clock()
        run { state in
            state.outlets[peer] = outlet
            return state.swarms.join(peer, to: key, from: address, now: now)
        }
        return (peer, stream)
    }

    /// A text message from `peer`.
    public func receive(_ text: some Collection<UInt8> & Sendable, from peer: PeerID) {
        let now = clock()
        run { $0.swarms.receive(text, from: peer, now: now) }
    }

    /// `peer`'s connection is gone.
    public func leave(_ peer: PeerID) {
        run { state in
            state.outlets[peer] = nil
            return state.swarms.leave(peer)
        }
    }

    /// Closes `peer`'s connection, telling it why.
    public func close(_ peer: PeerID, _ why: TrackerEvent.Refusal) {
        run { _ in [.close(peer, why)] }
    }

    /// Peers in each swarm, for the metrics.
    public var swarmSizes: [SwarmKey: Int] { state.withLockedValue { $0.swarms.sizes } }

    /// Peers in the swarms of `channel`, all renditions.
    public func peers(channel: String) -> Int {
        swarmSizes.reduce(0) { $0 + ($1.key.channel == channel ? $1.value : 0) }
    }

    private func run(_ step: (inout State) -> [Swarms.Action]) {
        let deliveries: [(Outlet, TrackerEvent?)] = state.withLockedValue { state in
            var pending = step(&state)
            var out: [(Outlet, TrackerEvent?)] = []
            while !pending.isEmpty {
                switch pending.removeFirst() {
                case .send(let peer, let event):
                    if let outlet = state.outlets[peer] { out.append((outlet, event)) }
                case .close(let peer, let why):
                    guard let outlet = state.outlets.removeValue(forKey: peer) else { continue }
                    out.append((outlet, .refused(why)))
                    out.append((outlet, nil))
                    pending += state.swarms.leave(peer)
                }
            }
            return out
        }
        for (outlet, event) in deliveries {
            if let event { outlet.yield(event) } else { outlet.finish() }
        }
    }
}
