import Logging
import MediaCore
import NIOConcurrencyHelpers
import NIOCore

/// Persists completed segments, with their init segments, to an ``ArchiveStore``, in order, off
/// the packaging path.
///
/// ``enqueue(_:)`` never blocks: segments wait in a queue bounded in bytes, and a segment that
/// does not fit is dropped and counted (the live path comes first). A failed write is retried
/// with backoff (1 s doubling to 30 s) until it succeeds: nothing queued is skipped, so the
/// archive has no holes but those the queue's bound made. Failures are logged once per burst,
/// and the recovery once.
public final class ArchiveWriter: Sendable {
    public struct Statistics: Sendable, Hashable {
        public var segments = 0
        public var bytes: Int64 = 0
        public var failures = 0
        public var dropped = 0
        public var pending = 0
        public var pendingBytes = 0
        /// The last write failed and is being retried.
        public var failing = false
        /// Why the last failed write failed (the store's error), while ``failing``.
        public var lastFailure: ArchiveError?
    }

    private struct State {
        /// Segments waiting for the store, oldest at `head`. A slot is emptied as its segment is
        /// taken: a segment handed to the store must not stay here, its media with it (the queue
        /// is only compacted every ``compactAfter`` segments, half an hour of one channel's).
        var queue: [CompletedSegment?] = []
        var head = 0
        var statistics = Statistics()
        /// Init segments known to be stored.
        var storedInits: Set<ArchiveKey> = []
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let store: any ArchiveStore
    private let maximumPendingBytes: Int
    private let logger: Logger
    private let state = NIOLockedValueBox(State())
    private let retryDelay: @Sendable (Int) -> Duration

    /// Bytes that may wait for the store: 256 MiB is over a minute of a 30 Mbit/s ladder, which
    /// rides out a store's hiccup; a longer outage drops segments rather than memory.
    public static let defaultMaximumPendingBytes = 256 * 1024 * 1024

    public init(
        store: any ArchiveStore, maximumPendingBytes: Int = ArchiveWriter.defaultMaximumPendingBytes, logger: Logger,
        retryDelay: @escaping @Sendable (Int) -> Duration = ArchiveWriter.backoff
    ) {
        self.store = store
        self.maximumPendingBytes = maximumPendingBytes
        self.logger = logger
        self.retryDelay = retryDelay
    }

    /// Emptied slots at the front of the queue before it is compacted while segments still wait
    /// (an empty queue is reset at once): shifting the array costs one move per waiting segment,
    /// so it is done rarely.
    static let compactAfter = 1_024

    /// 1 s after the first failure, doubling, at most 30 s.
    @Sendable public static func backoff(_ failures: Int) -> Duration {
        .seconds(min(30, 1 << min(failures - 1, 5)))
    }

    public var statistics: Statistics { state.withLockedValue { $0.statistics } }

    /// Queues a segment; returns false if it was dropped because the queue is full.
    @discardableResult
    public func enqueue(_ segment: CompletedSegment) -> Bool {
        let size = segment.size
        let (accepted, waiter): (Bool, CheckedContinuation<Void, Never>?) = state.withLockedValue { state in
            guard state.statistics.pendingBytes + size <= maximumPendingBytes else {
                state.statistics.dropped += 1
                return (false, nil)
            }
            state.queue.append(segment)
            state.statistics.pending += 1
            state.statistics.pendingBytes += size
            defer { state.waiter = nil }
            return (true, state.waiter)
        }
        if !accepted {
            logger.warning("archive queue full; segment not archived", metadata: [
                "channel": "\(segment.channel)", "rendition": "\(segment.rendition)", "msn": "\(segment.msn)",
            ])
        }
        waiter?.resume()
        return accepted
    }

    /// Writes queued segments until cancelled.
    public func run() async {
        while !Task.isCancelled {
            guard let segment = await next() else { return }
            await write(segment)
            state.withLockedValue { state in
                state.statistics.pending -= 1
                state.statistics.pendingBytes -= segment.size
            }
        }
    }

    private func next() async -> CompletedSegment? {
        while !Task.isCancelled {
            let taken: CompletedSegment? = state.withLockedValue { state in
                guard state.head < state.queue.count else { return nil }
                let segment = state.queue[state.head].take()
                state.head += 1
                if state.head == state.queue.count {
                    state.queue.removeAll(keepingCapacity: true)
                    state.head = 0
                } else if state.head > Self.compactAfter, state.head * 2 > state.queue.count {
                    state.queue.removeFirst(state.head)
                    state.head = 0
                }
                return segment
            }
            if let taken { return taken }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let ready = state.withLockedValue { state in
                        if state.head < state.queue.count || Task.isCancelled { return true }
                        state.waiter = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            } onCancel: {
                state.withLockedValue { state in
                    defer { state.waiter = nil }
                    return state.waiter
                }?.resume()
            }
        }
        return nil
    }

    /// Stores one segment (and its init segment and descriptor if new, and its markers before it,
    /// so that a listing that shows the segment shows them), retrying until it succeeds or the
    /// task is cancelled.
    private func write(_ segment: CompletedSegment) async {
        let record = SegmentRecord(segment)
        if segment.markers.count > ArchiveLimits.maximumMarkersPerSegment {
            logger.warning("more markers on one segment than the archive keeps; the first are kept", metadata: [
                "channel": "\(segment.channel)", "rendition": "\(segment.rendition)", "msn": "\(segment.msn)",
                "markers": "\(segment.markers.count)", "kept": "\(ArchiveLimits.maximumMarkersPerSegment)",
            ])
        }
        var failures = 0
        while !Task.isCancelled {
            do {
                let initKey = try record.initKey
                if !state.withLockedValue({ $0.storedInits.contains(initKey) }) {
                    let descriptorKey = try SegmentRecord.descriptorKey(channel: record.channel, rendition: record.rendition, id: record.initID)
                    try await store.put(descriptorKey, RenditionDescriptor(segment.track).encoded)
                    try await store.put(initKey, segment.initSegment)
                    state.withLockedValue { _ = $0.storedInits.insert(initKey) }
                }
                if !segment.markers.isEmpty {
                    try await store.put(try record.markersKey, SegmentMarkers.encoded(segment.markers))
                }
                try await store.put(try record.key, parts: segment.parts)
                let recovered = state.withLockedValue { state in
                    state.statistics.segments += 1
                    state.statistics.bytes += Int64(segment.size)
                    defer {
                        state.statistics.failing = false
                        state.statistics.lastFailure = nil
                    }
                    return state.statistics.failing
                }
                if recovered { logger.notice("archive writes resumed", metadata: ["channel": "\(segment.channel)"]) }
                return
            } catch {
                failures += 1
                let first = state.withLockedValue { state in
                    state.statistics.failures += 1
                    state.statistics.lastFailure = error
                    defer { state.statistics.failing = true }
                    return !state.statistics.failing
                }
                if first {
                    logger.error("archive write failed; retrying with backoff", metadata: [
                        "channel": "\(segment.channel)", "rendition": "\(segment.rendition)", "msn": "\(segment.msn)",
                        "error": "\(error)",
                    ])
                }
                if case .invalidKey = error {
                    // A name the archive cannot hold never will: skip it rather than stall the queue.
                    return
                }
                try? await Task.sleep(for: retryDelay(failures))
            }
        }
    }
}

extension Optional {
    /// Moves the wrapped value out, leaving nil.
    fileprivate mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}
