import Transcoder

/// The `detail` of a `transcoder.failed` event: how the channel's FFmpeg ended, and when it is
/// tried again.
///
/// ```json
/// {"reason":"killed","restartAttempt":1,"restartInMs":500,"signal":9}
/// {"exitStatus":1,"reason":"exited","restartAttempt":2,"restartInMs":1000}
/// {"message":"…","reason":"launch-failed","restartAttempt":4,"restartInMs":4000}
/// ```
public struct TranscoderFailureDetail: Encodable, Sendable, Hashable {
    /// `exited`, `killed` or `launch-failed`.
    var reason: String
    var exitStatus: Int32?
    var signal: Int32?
    var message: String?
    /// The restart that follows is attempt number `restartAttempt` in a row.
    var restartAttempt: Int
    var restartInMs: Int64

    public init(_ failure: TranscoderFailure) {
        switch failure.cause {
        case .exited(let status):
            reason = "exited"
            exitStatus = status
        case .killed(let signal):
            reason = "killed"
            self.signal = signal
        case .launchFailed(let message):
            reason = "launch-failed"
            self.message = message
        }
        restartAttempt = failure.restartAttempt
        let (seconds, attoseconds) = failure.restartDelay.components
        restartInMs = seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }

    /// A crash loop must not flood the receivers' outbox: failures number 1, 2, 4, 8, 16, … in
    /// a row are sent, so a channel that keeps failing every 10 s (the longest backoff) sends
    /// about 13 events a day, not 8 640. Every failure is logged.
    public static func isSent(restartAttempt attempt: Int) -> Bool {
        attempt > 0 && attempt & (attempt - 1) == 0
    }
}
