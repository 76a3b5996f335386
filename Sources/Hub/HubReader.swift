import NIOConcurrencyHelpers

/// The one kind of reader of a channel's track set (``HubChannel/reader(capacity:)``). It takes
/// its events in batches: ``next()`` returns every event queued since the previous call, in order.
///
/// It has a bounded queue, so a slow reader never slows the publisher: when `capacity` events
/// wait unread, the event that does not fit is dropped and the reader is cut off (the
/// channel counts it); it still gets what was queued, then `nil`. A reader that is woken gets
/// everything that arrived until it runs, in one call, so a publisher that sends several events
/// at once (one socket read's worth) costs the reader one wake-up, not one per event.
public final class HubReader: Sendable {
    public let capacity: Int
    private let state = NIOLockedValueBox(State())
    /// Detaches the reader from its channel; called once, when the reader finishes.
    private let onTermination: NIOLockedValueBox<(@Sendable () -> Void)?>

    private struct State {
        var events: [HubEvent] = []
        var waiter: UnsafeContinuation<Void, Never>?
        var finished = false
    }

    init(capacity: Int, onTermination: @escaping @Sendable () -> Void) {
        self.capacity = capacity
        self.onTermination = NIOLockedValueBox(onTermination)
    }

    /// Queues an event. Returns false if the queue was full: the event is dropped and the reader
    /// is finished.
    func offer(_ event: HubEvent) -> Bool {
        let (waiter, accepted): (UnsafeContinuation<Void, Never>?, Bool) = state.withLockedValue { state in
            guard !state.finished else { return (nil, true) }
            guard state.events.count < capacity else {
                state.finished = true
                return (state.waiter.take(), false)
            }
            state.events.append(event)
            return (state.waiter.take(), true)
        }
        waiter?.resume()
        if !accepted { terminate() }
        return accepted
    }

    /// Ends the reader: it gets what is queued, then `nil`.
    public func finish() {
        let waiter = state.withLockedValue { state -> UnsafeContinuation<Void, Never>? in
            state.finished = true
            return state.waiter.take()
        }
        waiter?.resume()
        terminate()
    }

    /// The events queued since the last call, oldest first, without waiting: for a reader that
    /// looks on a timer of its own rather than being woken for every batch. Nil once the reader is
    /// finished and drained.
    public func take() -> [HubEvent]? {
        state.withLockedValue { state in
            defer { state.events.removeAll(keepingCapacity: true) }
            return state.events.isEmpty && state.finished ? nil : state.events
        }
    }

    /// The events queued since the last call, oldest first; suspends while there are none. Returns
    /// `nil` once the reader is finished (cut off, ``finish()``, or its task cancelled) and drained.
    public func next() async -> [HubEvent]? {
        while true {
            let step: [HubEvent]?? = state.withLockedValue { state in
                if !state.events.isEmpty {
                    defer { state.events.removeAll(keepingCapacity: true) }
                    return .some(state.events)
                }
                return state.finished ? .some(nil) : nil
            }
            if let step { return step }
            if Task.isCancelled {
                finish()
                continue
            }
            await withTaskCancellationHandler {
                await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                    let ready = state.withLockedValue { state in
                        if !state.events.isEmpty || state.finished { return true }
                        state.waiter = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            } onCancel: {
                self.finish()
            }
        }
    }

    private func terminate() {
        let detach = onTermination.withLockedValue { $0.take() }
        detach?()
    }

    deinit {
        onTermination.withLockedValue { $0.take() }?()
    }
}

extension Optional {
    /// Moves the wrapped value out, leaving nil.
    fileprivate mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}
