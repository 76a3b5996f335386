import Foundation
import NIOConcurrencyHelpers

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

    func increment() {
        let waiters = state.withLockedValue { state in
            state.value += 1
            defer { state.waiters = [:] }
            return state.waiters
        }
        for waiter in waiters.values { waiter.resume() }
    }

    /// Returns once the value is no longer `seen`, or after `timeout`.
    public func wait(whileEqualTo seen: Int, timeout: Duration) async {
        let id = UUID()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { [state] in
                await withCheckedContinuation { continuation in
                    let now = state.withLockedValue { state in
                        if state.value != seen || state.abandoned.remove(id) != nil { return true }
                        state.waiters[id] = continuation
                        return false
                    }
                    if now { continuation.resume() }
                }
            }
            await group.next()
            group.cancelAll()
            // Whichever came first, the other must end too.
            let waiter = state.withLockedValue { state in
                guard let waiter = state.waiters.removeValue(forKey: id) else {
                    if state.value == seen { state.abandoned.insert(id) }
                    return nil as CheckedContinuation<Void, Never>?
                }
                return waiter
            }
            waiter?.resume()
        }
        state.withLockedValue { _ = $0.abandoned.remove(id) }
    }
}
