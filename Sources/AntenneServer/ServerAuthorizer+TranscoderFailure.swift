import Control
import Transcoder

extension ServerAuthorizer {
    /// A control-plane channel's FFmpeg failed: queues `transcoder.failed`, throttled
    /// (``TranscoderFailureDetail/isSent(restartAttempt:)``). Called on the transcoder's loop, so
    /// the event is queued from a task of its own.
    func transcoderFailed(_ failure: TranscoderFailure, channel: Control.Channel) {
        guard TranscoderFailureDetail.isSent(restartAttempt: failure.restartAttempt) else { return }
        let detail = EventDetail.transcoderFailure(TranscoderFailureDetail(failure))
        Task { await emit(.transcoderFailed, channel: channel, detail: detail) }
    }
}
