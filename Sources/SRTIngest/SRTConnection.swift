import CSRT
import Hub
import Ingest
import NIOCore

/// One SRT connection, accepted from a caller or made by a pull (``SRTPull``), owned by the
/// listener's thread.
final class SRTConnection {
    enum State {
        /// The gateway is deciding; media that arrives meanwhile waits in `early`.
        case authorizing(early: ByteBuffer)
        case publishing(Publish, MPEGTSPublishSession)
    }

    let socket: SRTSOCKET
    let remoteAddress: String?
    /// The index of the pull that made it, nil for an accepted caller.
    let pull: Int?
    let accepted: ContinuousClock.Instant
    var state = State.authorizing(early: ByteBuffer())
    /// When media last arrived (accepting counts), for the idle timeout.
    var lastMedia: ContinuousClock.Instant
    var lastStatistics: ContinuousClock.Instant

    init(socket: SRTSOCKET, remoteAddress: String?, now: ContinuousClock.Instant, pull: Int? = nil) {
        self.socket = socket
        self.remoteAddress = remoteAddress
        self.pull = pull
        accepted = now
        lastMedia = now
        lastStatistics = now
    }

    /// How a publish ended that libsrt reports broken. libsrt says broken both when the peer shut
    /// the connection down (its shutdown message comes right after its last media) and when it gave
    /// up on a silent peer (`SRTO_PEERIDLETIMEO`, 5 s by default): the silence tells them apart.
    var brokenEnding: PublishEnding { ContinuousClock.now - lastMedia < Self.shutdownSilence ? .stopped : .lost }
    /// The longest silence before a broken connection that still reads as the peer's shutdown.
    static let shutdownSilence = Duration.seconds(2)

    /// Who is at the other end, in log lines.
    var peer: String { pull == nil ? "the caller" : "the encoder" }

    /// The channel it publishes to, once granted.
    var channel: String? {
        if case .publishing(let publish, _) = state { return publish.grant.channel }
        return nil
    }
}
