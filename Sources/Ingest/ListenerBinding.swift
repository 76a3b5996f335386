import Synchronization

/// Where a listener's port is told to whoever waits for it: the listener resolves it once, with
/// the port it bound or the error that stopped it; ``port()`` suspends until then. Every ingest
/// listener (RTMP, RTMPS, SRT) reports its port through one.
public final class ListenerBinding: Sendable {
    private let state = Mutex(State.waiting([]))

    private enum State {
        case waiting([CheckedContinuation<Int, any Error>])
        case bound(Int)
        case failed(any Error)
    }

    public init() {}

    /// The port the listener is bound to; suspends until it is bound, throws if binding failed.
    public func port() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            state.withLock { state in
                switch state {
                case .waiting(var continuations):
                    continuations.append(continuation)
                    state = .waiting(continuations)
                case .bound(let port):
                    continuation.resume(returning: port)
                case .failed(let error):
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// The listener's outcome; only the first one counts.
    public func resolve(_ result: Result<Int, any Error>) {
        let waiting: [CheckedContinuation<Int, any Error>] = state.withLock { state in
            guard case .waiting(let continuations) = state else { return [] }
            switch result {
            case .success(let port): state = .bound(port)
            case .failure(let error): state = .failed(error)
            }
            return continuations
        }
        for continuation in waiting { continuation.resume(with: result) }
    }
}
