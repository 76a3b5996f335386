/// Decides when a channel's FFmpeg process starts, stops and restarts. A pure state machine: its
/// owner (an actor per channel) feeds it events with the current `ContinuousClock` instant and
/// carries out the returned ``Action``s in order.
///
/// Rules:
/// - FFmpeg starts when the source starts and stops when the source stops.
/// - An exit while the source is live and no stop was requested is a failure: the supervisor
///   schedules a restart after an exponential backoff (``Configuration/backoff(afterFailures:)``:
///   0.5 s doubling to 10 s). The backoff starts over once a process has run
///   ``Configuration/stableRunDuration`` (30 s), and when the source starts again.
/// - An exit after a requested stop is not a failure.
/// - There is never more than one process: a source that restarts while the old process is still
///   stopping gets its new process when the old one has exited.
/// - After ``shutdown(at:)`` nothing starts again; ``isFinished`` tells when the last process is
///   gone.
///
/// Only differences between instants matter, so tests can use any base instant.
public struct TranscoderSupervisor: Sendable {
    public let configuration: Configuration
    public private(set) var phase: ProcessPhase = .idle
    public private(set) var counters = Counters()
    /// True between ``sourceStarted(at:)`` and ``sourceStopped(at:)``.
    public private(set) var sourceIsLive = false
    /// True while a ``Action/scheduleRestart(after:)`` is armed and not cancelled.
    public private(set) var restartPending = false
    public private(set) var isShutDown = false

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// True once shut down with no process left: the owner can return.
    public var isFinished: Bool { isShutDown && phase == .idle }

    /// The channel's source went live.
    public mutating func sourceStarted(at now: ContinuousClock.Instant) -> [Action] {
        guard !isShutDown else { return [.log(.warning, "source started after shutdown; FFmpeg stays stopped")] }
        guard !sourceIsLive else { return [] }
        sourceIsLive = true
        counters.consecutiveFailures = 0
        switch phase {
        case .idle:
            phase = .starting
            return [.log(.info, "source started; starting FFmpeg"), .start]
        case .stopping:
            return [.log(.info, "source started; FFmpeg starts again once the previous process has exited")]
        case .starting, .running:
            // Unreachable: the source was not live, so any process is stopping.
            return []
        }
    }

    /// The channel's source went away.
    public mutating func sourceStopped(at now: ContinuousClock.Instant) -> [Action] {
        guard sourceIsLive else { return [] }
        sourceIsLive = false
        return cancelRestartIfPending() + requestStop(reason: "source stopped")
    }

    /// The process spawned by the last ``Action/start`` is running.
    public mutating func processStarted(at now: ContinuousClock.Instant) -> [Action] {
        switch phase {
        case .starting:
            phase = .running(since: now)
            return []
        case .stopping(spawned: false):
            phase = .stopping(spawned: true)
            return [.stop(gracePeriod: configuration.stopGracePeriod)]
        case .idle, .running, .stopping(spawned: true):
            return [.log(.warning, "FFmpeg reported started while \(phase); ignored")]
        }
    }

    /// The process exited with `status` (a spawn failure is reported here too, from
    /// ``ProcessPhase/starting``).
    public mutating func processExited(status: Int32, at now: ContinuousClock.Instant) -> [Action] {
        switch phase {
        case .idle:
            return [.log(.warning, "FFmpeg exit (status \(status)) reported with no process; ignored")]
        case .stopping:
            phase = .idle
            counters.lastExitStatus = status
            var actions: [Action] = [.log(.info, "FFmpeg stopped (status \(status))")]
            if sourceIsLive && !isShutDown {
                phase = .starting
                actions += [.log(.info, "source is live; starting FFmpeg"), .start]
            }
            return actions
        case .starting, .running:
            // The source is live and no stop was asked for: a failure.
            if case .running(let since) = phase, now - since >= configuration.stableRunDuration {
                counters.consecutiveFailures = 0
            }
            phase = .idle
            counters.lastExitStatus = status
            counters.consecutiveFailures += 1
            let delay = configuration.backoff(afterFailures: counters.consecutiveFailures)
            restartPending = true
            return [
                .log(.error, "FFmpeg exited unexpectedly (status \(status), failure \(counters.consecutiveFailures) in a row); restarting in \(delay)"),
                .scheduleRestart(after: delay),
            ]
        }
    }

    /// The timer armed by ``Action/scheduleRestart(after:)`` fired. A timer that was cancelled or
    /// superseded is ignored.
    public mutating func restartTimerFired(at now: ContinuousClock.Instant) -> [Action] {
        guard restartPending else { return [] }
        restartPending = false
        guard sourceIsLive, !isShutDown, phase == .idle else { return [] }
        phase = .starting
        counters.restarts += 1
        return [.log(.info, "restarting FFmpeg (restart \(counters.restarts))"), .start]
    }

    /// The channel is going away: stop the process for good.
    public mutating func shutdown(at now: ContinuousClock.Instant) -> [Action] {
        guard !isShutDown else { return [] }
        isShutDown = true
        return cancelRestartIfPending() + requestStop(reason: "shutting down")
    }

    private mutating func cancelRestartIfPending() -> [Action] {
        guard restartPending else { return [] }
        restartPending = false
        return [.cancelRestart]
    }

    private mutating func requestStop(reason: String) -> [Action] {
        switch phase {
        case .starting:
            phase = .stopping(spawned: false)
            return [.log(.info, "\(reason); stopping FFmpeg once it has started")]
        case .running:
            phase = .stopping(spawned: true)
            return [.log(.info, "\(reason); stopping FFmpeg"), .stop(gracePeriod: configuration.stopGracePeriod)]
        case .idle, .stopping:
            return []
        }
    }
}
