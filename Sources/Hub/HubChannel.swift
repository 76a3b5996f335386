import MediaCore
import NIOConcurrencyHelpers
import Synchronization

/// One channel's live track set: a single publisher fans out to any number of readers, each with a
/// bounded queue. A reader that falls behind is disconnected and counted; the publisher never waits.
public final class HubChannel: Sendable {
    public let name: String

    private struct State {
        var readers: [Int: HubReader] = [:]
        /// `readers.values`, kept as an array so that sending an event does not build one.
        var readerList: [HubReader] = []
        var nextReaderID = 0
        var tracks: [TrackInfo]?
        var publisherID: Int?
        var nextPublisherID = 0
        var counters = HubCounters()
        var ingest = IngestMeter()

        mutating func add(_ reader: HubReader, id: Int) {
            readers[id] = reader
            readerList = Array(readers.values)
        }

        mutating func remove(id: Int) {
            guard readers.removeValue(forKey: id) != nil else { return }
            readerList = Array(readers.values)
        }
    }

    private let state = NIOLockedValueBox(State())

    public init(name: String) {
        self.name = name
    }

    /// Claims the channel for one publisher. Returns nil while another publisher holds it.
    public func acquirePublisher() -> HubPublisher? {
        let id: Int? = state.withLockedValue { state in
            guard state.publisherID == nil else { return nil }
            let id = state.nextPublisherID
            state.nextPublisherID += 1
            state.publisherID = id
            return id
        }
        return id.map { HubPublisher(channel: self, id: $0) }
    }

    public var isLive: Bool { state.withLockedValue { $0.publisherID != nil } }

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
            if state.publisherID != nil, let tracks = state.tracks { _ = reader.offer(.tracks(tracks)) }
        }
        return reader
    }

    func send(_ event: HubEvent, from publisherID: Int) {
        let readers: [HubReader]? = state.withLockedValue { state in
            guard state.publisherID == publisherID else { return nil }
            switch event {
            case .tracks(let tracks): state.tracks = tracks
            case .end: state.publisherID = nil
            case .sample: break
            }
            state.counters.events += 1
            state.ingest.record(event)
            return state.readerList
        }
        guard let readers else { return }
        var dropped = 0
        for reader in readers where !reader.offer(event) {
            dropped += 1
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

/// The right to publish on a channel. `finish()` (or deinit) releases it.
public final class HubPublisher: Sendable {
    public let channel: HubChannel
    let id: Int
    private let finished = Atomic<Bool>(false)

    init(channel: HubChannel, id: Int) {
        self.channel = channel
        self.id = id
    }

    public func send(_ event: HubEvent) {
        guard !finished.load(ordering: .acquiring) else { return }
        channel.send(event, from: id)
    }

    /// Ends the publish session and releases the channel.
    public func finish() {
        if finished.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
            channel.send(.end, from: id)
        }
    }

    deinit { finish() }
}
