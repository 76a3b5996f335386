import Logging

extension TranscoderSupervisor {
    /// What the owner of the supervisor must do, in order.
    public enum Action: Sendable, Hashable {
        /// Spawn FFmpeg with the channel's arguments and start writing the source to its stdin.
        /// Report ``TranscoderSupervisor/processStarted(at:)`` once it runs, or
        /// ``TranscoderSupervisor/processExited(status:at:)`` if it could not be spawned.
        case start
        /// Close FFmpeg's stdin so it flushes and exits; send SIGTERM if it is still running after
        /// `gracePeriod`, and SIGKILL after another `gracePeriod`. Report the exit as usual.
        case stop(gracePeriod: Duration)
        /// Arm a timer; call ``TranscoderSupervisor/restartTimerFired(at:)`` when it fires.
        case scheduleRestart(after: Duration)
        /// Disarm the restart timer. A timer that fires anyway is ignored.
        case cancelRestart
        /// Write a log line.
        case log(LogLevel, String)
    }

    /// The level of a ``Action/log(_:_:)`` line.
    public enum LogLevel: String, Sendable, Hashable {
        case info, warning, error

        /// The same level for swift-log.
        public var level: Logger.Level {
            switch self {
            case .info: .info
            case .warning: .warning
            case .error: .error
            }
        }
    }

    /// What the supervisor believes the FFmpeg process is doing.
    public enum ProcessPhase: Sendable, Hashable {
        /// No process.
        case idle
        /// ``Action/start`` was issued; the process is not known to run yet.
        case starting
        /// Running since the instant it was reported started.
        case running(since: ContinuousClock.Instant)
        /// A stop was requested; waiting for the exit. `spawned` is false while the start that
        /// preceded the stop has not been reported yet: ``Action/stop(gracePeriod:)`` follows
        /// once it is.
        case stopping(spawned: Bool)
    }

    /// Counters for metrics and the channel's status.
    public struct Counters: Sendable, Hashable {
        /// Processes started again after an unexpected exit.
        public var restarts = 0
        /// The exit status of the last process, expected or not.
        public var lastExitStatus: Int32?
        /// Unexpected exits since the last process that ran ``Configuration/stableRunDuration``,
        /// or since the source (re)started.
        public var consecutiveFailures = 0

        public init() {}
    }
}
