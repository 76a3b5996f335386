/// An unexpected end of a channel's FFmpeg while the source is live, as ``ChannelTranscoder``
/// reports it to its owner. The transcoder logs it too, and restarts FFmpeg after
/// ``restartDelay`` (on the next key frame after that).
public struct TranscoderFailure: Sendable, Hashable {
    public enum Cause: Sendable, Hashable {
        /// FFmpeg exited by itself with this status (0 included: it must not end while the
        /// source is live).
        case exited(status: Int32)
        /// A signal killed FFmpeg (a crash, the kernel's OOM killer, an operator's `kill -9`).
        case killed(signal: Int32)
        /// FFmpeg could not be started.
        case launchFailed(String)
    }

    public var cause: Cause
    /// The restart that follows is attempt number `restartAttempt` in a row: 1 after a first
    /// failure; it goes back to 1 once FFmpeg has run 30 s, or when the source starts again.
    public var restartAttempt: Int
    /// When FFmpeg starts again: the supervisor's backoff, 0.5 s doubling to 10 s.
    public var restartDelay: Duration

    public init(cause: Cause, restartAttempt: Int, restartDelay: Duration) {
        self.cause = cause
        self.restartAttempt = restartAttempt
        self.restartDelay = restartDelay
    }
}
