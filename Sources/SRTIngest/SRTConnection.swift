import CSRT
import Ingest
import NIOCore

/// One accepted SRT connection, owned by the listener's thread.
final class SRTConnection {
    enum State {
        /// The gateway is deciding; media that arrives meanwhile waits in `early`.
        case authorizing(early: ByteBuffer)
        case publishing(Publish, MPEGTSPublishSession)
    }

    let socket: SRTSOCKET
    let remoteAddress: String?
    let accepted: ContinuousClock.Instant
    var state = State.authorizing(early: ByteBuffer())
    /// When media last arrived (accepting counts), for the idle timeout.
    var lastMedia: ContinuousClock.Instant
    var lastStatistics: ContinuousClock.Instant

    init(socket: SRTSOCKET, remoteAddress: String?, now: ContinuousClock.Instant) {
        self.socket = socket
        self.remoteAddress = remoteAddress
        accepted = now
        lastMedia = now
        lastStatistics = now
    }

    /// The channel it publishes to, once granted.
    var channel: String? {
        if case .publishing(let publish, _) = state { return publish.grant.channel }
        return nil
    }
}
