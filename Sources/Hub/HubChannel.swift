import MediaCore
import NIOConcurrencyHelpers

/// One channel's live track set: a single publisher fans out to any number of readers, each with a
/// bounded queue. A reader that falls behind is disconnected and counted; the publisher never waits.
public final class HubChannel: Sendable {
    public let name: String

    private struct State {
        var readers: [Int: AsyncStream<HubEvent>.Continuation] = [:]
        var nextReaderID = 0
        var tracks: [TrackInfo]?
        var publisherID: Int?
        var nextPublisherID = 0
    }

    private let state = NIOLockedValueBox(State())
    private let counters = NIOLockedValueBox(HubCounters())

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

    public var statistics: HubCounters { counters.withLockedValue { $0 } }

    /// Readers subscribed right now.
    public var readerCount: Int { state.withLockedValue { $0.readers.count } }

    /// Subscribes a reader. If a session is under way, its `.tracks` event comes first.
    /// - Parameter capacity: events the reader may lag before it is disconnected.
    public func subscribe(capacity: Int) -> AsyncStream<HubEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: HubEvent.self, bufferingPolicy: .bufferingOldest(capacity))
        let id: Int = state.withLockedValue { state in
            let id = state.nextReaderID
            state.nextReaderID += 1
            state.readers[id] = continuation
            if state.publisherID != nil, let tracks = state.tracks { continuation.yield(.tracks(tracks)) }
            return id
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLockedValue { _ = $0.readers.removeValue(forKey: id) }
        }
        return stream
    }

    func send(_ event: HubEvent, from publisherID: Int) {
        let readers: [AsyncStream<HubEvent>.Continuation]? = state.withLockedValue { state in
            guard state.publisherID == publisherID else { return nil }
            switch event {
            case .tracks(let tracks): state.tracks = tracks
            case .end: state.publisherID = nil
            case .sample: break
            }
            return Array(state.readers.values)
        }
        guard let readers else { return }
        var dropped = 0
        for reader in readers {
            if case .dropped = reader.yield(event) {
                dropped += 1
                reader.finish()
            }
        }
        counters.withLockedValue { c in
            c.events += 1
            c.readersDisconnected += dropped
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
    private let finished = NIOLockedValueBox(false)

    init(channel: HubChannel, id: Int) {
        self.channel = channel
        self.id = id
    }

    public func send(_ event: HubEvent) {
        guard !finished.withLockedValue({ $0 }) else { return }
        channel.send(event, from: id)
    }

    /// Ends the publish session and releases the channel.
    public func finish() {
        let wasFinished = finished.withLockedValue { f in
            defer { f = true }
            return f
        }
        if !wasFinished { channel.send(.end, from: id) }
    }

    deinit { finish() }
}
