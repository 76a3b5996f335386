import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A number that only goes up, read and bumped from any thread, that a task can wait on.
public final class Counter: Sendable {
    private struct State {
        var value = 0
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
        /// Waits that timed out before their continuation was registered.
        var abandoned: Set<UUID> = []
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    public var value: Int { state.withLockedValue { $0.value } }

    public func increment() {
        let waiters = state.withLockedValue { state in
            state.value += 1
            defer { state.waiters = [:] }
            return state.waiters
        }
        for waiter in waiters.values { waiter.resume() }
    }

    /// Returns once the value is no longer `seen`, or after `timeout` (a timer of `loop`), or when
    /// the task is cancelled.
    public func wait(
        whileEqualTo seen: Int, timeout: Duration, on loop: any EventLoop = MultiThreadedEventLoopGroup.singleton.any()
    ) async {
        let id = UUID()
        let timer = loop.scheduleTask(in: TimeAmount(timeout)) {
            self.stopWaiting(id, seen: seen)
        }
        defer { timer.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLockedValue { state in
                    if state.value != seen || state.abandoned.remove(id) != nil { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            self.stopWaiting(id, seen: seen)
        }
        state.withLockedValue { _ = $0.abandoned.remove(id) }
    }

    /// Ends a wait before the value moves: resumes it, or marks it abandoned if it has not
    /// registered yet (a wait the value already ended is left alone).
    private func stopWaiting(_ id: UUID, seen: Int) {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                if state.value == seen { state.abandoned.insert(id) }
                return nil
            }
            return waiter
        }
        waiter?.resume()
    }
}
