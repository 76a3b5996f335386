import MediaCore
import NIOConcurrencyHelpers
import Synchronization

/// One channel's live track set: its publisher fans out to any number of readers, each with a
/// bounded queue. A reader that falls behind is disconnected and counted; the publisher never waits.
///
/// A channel takes a publisher per ``InputRole``: the ``InputSwitch`` decides which one readers
/// follow (the primary, the backup while the primary is lost).
public final class HubChannel: Sendable {
    public let name: String
    /// Markers posted on the channel, for its packager (``MarkerQueue``).
    public let markers = MarkerQueue()

    private struct State {
        var readers: [Int: HubReader] = [:]
        /// `readers.values`, kept as an array so that sending an event does not build one.
        var readerList: [HubReader] = []
        var nextReaderID = 0
        var tracks: [TrackInfo]?
        /// The publisher of each input.
        var publishers: [InputRole: Int] = [:]
        var inputs: InputSwitch
        var nextPublisherID = 0
        var counters = HubCounters()
        var ingest = IngestMeter()
        var lastEnding: PublishEnding?

        mutating func add(_ reader: HubReader, id: Int) {
            readers[id] = reader
            readerList = Array(readers.values)
        }

        mutating func remove(id: Int) {
            guard readers.removeValue(forKey: id) != nil else { return }
            readerList = Array(readers.values)
        }
    }

    private let state: NIOLockedValueBox<State>

    public init(name: String, inputs: InputSwitch.Configuration = InputSwitch.Configuration()) {
        self.name = name
        self.state = NIOLockedValueBox(State(inputs: InputSwitch(configuration: inputs)))
    }

    /// Claims an input of the channel for one publisher. Returns nil while another publisher
    /// holds that input.
    public func acquirePublisher(role: InputRole = .primary) -> HubPublisher? {
        let id: Int? = state.withLockedValue { state in
            guard state.publishers[role] == nil else { return nil }
            let id = state.nextPublisherID
            state.nextPublisherID += 1
            state.publishers[role] = id
            state.inputs.connected(role)
            return id
        }
        return id.map { HubPublisher(channel: self, id: $0, role: role) }
    }

    /// A publish session is under way: a publisher feeds the channel, and `.end` has not gone out.
    public var isLive: Bool { state.withLockedValue { $0.inputs.sessionOpen } }

    /// The inputs connected, the one readers follow, and the switches made so far.
    public var inputStatus: InputStatus {
        state.withLockedValue { state in
            InputStatus(connected: Set(state.publishers.keys), active: state.inputs.active, switches: state.inputs.switches)
        }
    }

    /// How the channel's last publish that began ended; nil before any has.
    public var lastEnding: PublishEnding? { state.withLockedValue { $0.lastEnding } }

    /// Records how a publish of the channel ended (the gateway's ``Publish`` says, as it closes).
    public func ended(_ ending: PublishEnding) {
        state.withLockedValue { $0.lastEnding = ending }
    }

    /// The tracks of the current or last publish session.
    public var tracks: [TrackInfo]? { state.withLockedValue { $0.tracks } }

    public var statistics: HubCounters { state.withLockedValue { $0.counters } }

    /// What the publishers sent: totals, and the rates of the session under way.
    public var ingest: IngestMeter { state.withLockedValue { $0.ingest } }

    /// Readers subscribed right now.
    public var readerCount: Int { state.withLockedValue { $0.readers.count } }

    /// Subscribes a reader (``HubReader``): it takes its events in batches, from a bounded
    /// queue. If a session is under way, its `.tracks` event comes first.
    /// - Parameter capacity: events the reader may lag before it is disconnected.
    public func reader(capacity: Int) -> HubReader {
        precondition(capacity > 0, "a hub reader needs room for at least one event")
        let id = state.withLockedValue { state in
            defer { state.nextReaderID += 1 }
            return state.nextReaderID
        }
        let reader = HubReader(capacity: capacity) { [weak self] in
            self?.state.withLockedValue { $0.remove(id: id) }
        }
        state.withLockedValue { state in
            state.add(reader, id: id)
            if state.inputs.sessionOpen, let tracks = state.tracks { _ = reader.offer(.tracks(tracks)) }
        }
        return reader
    }

    func send(_ event: HubEvent, from publisherID: Int, role: InputRole) {
        let now = ContinuousClock.now
        let (events, readers): ([HubEvent], [HubReader]) = state.withLockedValue { state in
            guard state.publishers[role] == publisherID else { return ([], []) }
            if case .end = event { state.publishers[role] = nil }
            let events = state.inputs.handle(event, from: role, at: now)
            for event in events {
                if case .tracks(let tracks) = event { state.tracks = tracks }
                state.counters.events += 1
                state.ingest.record(event)
            }
            return (events, events.isEmpty ? [] : state.readerList)
        }
        var dropped = 0
        for event in events {
            for reader in readers where !reader.offer(event) {
                dropped += 1
            }
        }
        if dropped > 0 {
            state.withLockedValue { $0.counters.readersDisconnected += dropped }
        }
    }
}

public struct HubCounters: Sendable, Hashable {
    public var events = 0
    /// Readers cut off because their queue overflowed.
    public var readersDisconnected = 0
}

/// The inputs of a channel: who publishes, who feeds the readers.
public struct InputStatus: Sendable, Hashable {
    public var connected: Set<InputRole>
    /// The input readers follow; nil when none does.
    public var active: InputRole?
    public var switches: Int
}

/// The right to publish on one input of a channel. `finish()` (or deinit) releases it.
public final class HubPublisher: Sendable {
    public let channel: HubChannel
    public let role: InputRole
    let id: Int
    private let finished = Atomic<Bool>(false)

    init(channel: HubChannel, id: Int, role: InputRole) {
        self.channel = channel
        self.id = id
        self.role = role
    }

    public func send(_ event: HubEvent) {
        guard !finished.load(ordering: .acquiring) else { return }
        channel.send(event, from: id, role: role)
    }

    /// Ends the publish session and releases the input.
    public func finish() {
        if finished.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
            channel.send(.end, from: id, role: role)
        }
    }

    deinit { finish() }
}
