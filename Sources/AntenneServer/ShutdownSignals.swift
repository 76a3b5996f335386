import Dispatch
import Foundation
import Logging

/// SIGINT and SIGTERM stop the server: the first logs one line saying so and starts a graceful
/// stop (after the drain grace, if one is configured), in which services have
/// ``RunningServer/gracefulStopDuration`` before they are cancelled. A process that has still not
/// stopped ``exitDeadlineMilliseconds`` after the grace, or that gets a second signal, ends at once. Children cannot outlive it either way (FFmpeg is tied to the server's life:
/// see ``ProcessLauncher``).
final class ShutdownSignals: @unchecked Sendable {
    /// Set once in init; `cancel()` only calls the sources' own thread-safe `cancel()`.
    private let sources: [any DispatchSourceSignal]
    /// The bound the operator can count on: gone 5 s after SIGTERM, with some margin.
    static let exitDeadlineMilliseconds = 4_500

    init(logger: Logger, grace: Duration = .zero, stop: @escaping @Sendable () async -> Void) {
        let deadline = grace + .milliseconds(Self.exitDeadlineMilliseconds)
        let queue = DispatchQueue(label: "antenne.signals")
        let received = SignalCount()
        sources = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")].map { number, name in
            // The default action would end the process before the source sees the signal.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if received.increment() == 1 {
                    logger.notice("Antenne is stopping: \(name) received")
                    Task { await stop() }
                    let milliseconds = Int(deadline.components.seconds * 1_000 + deadline.components.attoseconds / 1_000_000_000_000_000)
                    queue.asyncAfter(deadline: .now() + .milliseconds(milliseconds)) {
                        logger.error("Antenne did not stop within \(milliseconds) ms of \(name); exiting now")
                        exit(1)
                    }
                } else {
                    logger.notice("Antenne stops now: \(name) received again")
                    exit(128 + number)
                }
            }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}

/// Signals seen so far; touched only on the signal queue.
private final class SignalCount: @unchecked Sendable {
    private var count = 0
    func increment() -> Int {
        count += 1
        return count
    }
}
