import Hub
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Transcoder

/// Pushes one channel to one destination with a supervised FFmpeg child of its own.
///
/// Design: the pusher is a hub reader like the transcoder. It reads the channel's track set (the
/// source, or the renditions track set for a rendition), writes the chosen tracks to FFmpeg's
/// stdin as MPEG-TS with Antenne's own muxer, and FFmpeg copies them (`-c copy`, no decoding)
/// into FLV over RTMP(S) or MPEG-TS over SRT: FFmpeg brings the RTMP, TLS and SRT clients, and
/// nothing is encoded twice. Reading Antenne's HLS output over loopback instead would add a
/// segment or more of latency and the playlist polling, for nothing gained.
///
/// Isolation, so that a slow or dead destination never slows the channel or another destination:
/// - each destination has its own hub reader with a bounded queue; a reader that falls behind is
///   cut off by the hub (counted there) and subscribes again, the publisher never waits;
/// - FFmpeg's stdin is a non-blocking pipe with a bounded backlog (`FFmpegProcess`); when it is
///   full, samples are dropped up to the next key frame and counted in
///   ``RestreamStatus/droppedSamples``;
/// - a destination that accepts no bytes for 10 s makes FFmpeg exit (`rw_timeout`), and the push
///   is retried.
///
/// FFmpeg starts on the channel's first video key frame and stops when the publisher leaves. A
/// failed push is retried every second for the first five failures, then after 2, 4, 8... up to
/// 30 s (``supervisorConfiguration``), by the transcoder's supervisor state machine.
public final class DestinationPusher: Sendable {
    public let destination: RestreamDestination
    /// The channel's name.
    public let channel: String
    let source: HubChannel
    let ffmpeg: String
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    private let state = NIOLockedValueBox(RestreamStatus())

    /// Events the push may lag before the hub cuts its reader off: about 20 s of a 30 fps stream
    /// with audio, as the transcoder's.
    static let hubQueueCapacity = 2_048
    /// Every timestamp is shifted by this much (90 kHz) on its way to FFmpeg, so the MPEG-TS
    /// timestamps it reads are never negative, even with B-frames at the start.
    static let timestampOffset: Int64 = 10 * 90_000

    /// Retry after 1 s five times (a destination restarting is back within seconds), then double
    /// up to 30 s (a destination that is gone, or a revoked key, is not hammered). A push that
    /// ran 30 s counts as healthy and starts the count over.
    public static let supervisorConfiguration = TranscoderSupervisor.Configuration(
        initialBackoff: .seconds(1), maximumBackoff: .seconds(30), stableRunDuration: .seconds(30),
        stopGracePeriod: .seconds(2), retriesAtInitialBackoff: 4
    )

    /// - Parameter source: the channel's track set, or its renditions track set when the
    ///   destination pushes a rendition.
    public init(
        destination: RestreamDestination, channel: String, source: HubChannel, ffmpeg: String,
        eventLoopGroup: any EventLoopGroup, logger: Logger
    ) {
        self.destination = destination
        self.channel = channel
        self.source = source
        self.ffmpeg = ffmpeg
        self.eventLoopGroup = eventLoopGroup
        var logger = logger
        logger[metadataKey: "channel"] = "\(channel)"
        logger[metadataKey: "destination"] = "\(destination.url.redacted)"
        self.logger = logger
    }

    public var status: RestreamStatus { state.withLockedValue { $0 } }

    func update(_ change: (inout RestreamStatus) -> Void) {
        state.withLockedValue { change(&$0) }
    }

    /// Runs until the task is cancelled; then stops FFmpeg and waits for it.
    public func run() async {
        let (inputs, continuation) = AsyncStream.makeStream(
            of: PushEvent.self, bufferingPolicy: .bufferingOldest(Self.hubQueueCapacity))
        let reader = Task { [source] in
            while !Task.isCancelled {
                let hubReader = source.reader(capacity: Self.hubQueueCapacity)
                await withTaskCancellationHandler {
                    while let events = await hubReader.next() {
                        for event in events {
                            if case .dropped = continuation.yield(.hub(event)) { update { $0.droppedSamples += 1 } }
                        }
                    }
                } onCancel: {
                    hubReader.finish()
                }
                continuation.yield(.hub(.end))
            }
        }
        var push = PushRun(pusher: self, inputs: continuation)
        await withTaskCancellationHandler {
            for await input in inputs {
                await push.handle(input)
                if Task.isCancelled { break }
            }
        } onCancel: {
            continuation.finish()
        }
        reader.cancel()
        await push.shutdown()
    }
}

/// What a push's loop reacts to.
enum PushEvent: Sendable {
    case hub(HubEvent)
    /// FFmpeg run number `run` exited.
    case exited(run: Int, FFmpegExit)
    /// The retry backoff scheduled for run number `run` elapsed.
    case restartDue(run: Int)
}
