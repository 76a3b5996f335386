import Containers
import Hub
import Logging
import MediaCore
import NIOConcurrencyHelpers
import NIOCore

/// Transcodes one channel's ladder with one supervised FFmpeg child.
///
/// It reads the channel's source track set from the hub, writes it to FFmpeg's stdin as MPEG-TS,
/// reads the renditions back from FFmpeg's stdout with Antenne's MPEG-TS demuxer and publishes
/// them on the channel's renditions track set, where the packager picks them up. FFmpeg starts
/// with the publisher (on its first key frame) and stops with it; if it dies, it restarts with
/// backoff on the next key frame, and the packager lists what was missed as gaps.
public final class ChannelTranscoder: Sendable {
    public let name: String
    public let ladder: Ladder
    public let overlays: Overlays
    private let source: HubChannel
    private let output: HubChannel
    private let ffmpeg: String
    private let group: any EventLoopGroup
    private let logger: Logger
    private let state = NIOLockedValueBox(TranscoderStatus())
    private let onPassthroughOnly: @Sendable (Bool) -> Void
    private let onFailure: @Sendable (TranscoderFailure) -> Void

    /// Source events the transcoder may lag before the hub cuts it off (~20 s, as the packager).
    static let hubQueueCapacity = 2_048
    /// Every input timestamp is shifted by this much (90 kHz) on its way to FFmpeg and back, so the
    /// MPEG-TS timestamps FFmpeg sees are never negative, even with B-frames at the start.
    static let timestampOffset: Int64 = 10 * 90_000

    public init(
        source: HubChannel,
        output: HubChannel,
        ladder: Ladder,
        overlays: Overlays = Overlays(),
        ffmpeg: String = "/usr/bin/ffmpeg",
        eventLoopGroup: any EventLoopGroup,
        logger: Logger,
        onPassthroughOnly: @escaping @Sendable (Bool) -> Void = { _ in },
        onFailure: @escaping @Sendable (TranscoderFailure) -> Void = { _ in }
    ) {
        self.onPassthroughOnly = onPassthroughOnly
        self.onFailure = onFailure
        self.name = source.name
        self.source = source
        self.output = output
        self.ladder = ladder
        self.overlays = overlays
        self.ffmpeg = ffmpeg
        self.group = eventLoopGroup
        var logger = logger
        logger[metadataKey: "channel"] = "\(source.name)"
        self.logger = logger
    }

    public var status: TranscoderStatus { state.withLockedValue { $0 } }

    /// Runs until the task is cancelled; then stops FFmpeg and waits for it.
    public func run() async {
        let (inputs, continuation) = AsyncStream.makeStream(
            of: TranscoderEvent.self, bufferingPolicy: .bufferingOldest(Self.hubQueueCapacity))
        let reader = Task {
            while !Task.isCancelled {
                let hubReader = source.reader(capacity: Self.hubQueueCapacity)
                while let events = await hubReader.next() {
                    for event in events {
                        if case .dropped = continuation.yield(.hub(event)) { update { $0.droppedInput += 1 } }
                    }
                }
                continuation.yield(.hub(.end))
            }
        }
        var runner = TranscoderRun(transcoder: self, inputs: continuation)
        await withTaskCancellationHandler {
            for await input in inputs {
                await runner.handle(input)
                if Task.isCancelled { break }
            }
        } onCancel: {
            continuation.finish()
        }
        reader.cancel()
        await runner.shutdown()
    }

    func update(_ change: (inout TranscoderStatus) -> Void) {
        state.withLockedValue { change(&$0) }
    }

    /// Each publish session: whether its source cannot be transcoded, so the channel must be
    /// served as passthrough.
    func passthroughOnly(_ value: Bool) { onPassthroughOnly(value) }

    /// FFmpeg ended unexpectedly (it is logged already). Called on the transcoder's loop: the
    /// owner must not block it.
    func failed(_ failure: TranscoderFailure) { onFailure(failure) }

    var executable: String { ffmpeg }
    var eventLoopGroup: any EventLoopGroup { group }
    var log: Logger { logger }
    var renditionsChannel: HubChannel { output }
}

/// What the transcoder's loop reacts to.
enum TranscoderEvent: Sendable {
    case hub(HubEvent)
    /// FFmpeg run number `run` exited.
    case exited(run: Int, FFmpegExit)
    /// The restart backoff scheduled for run number `run` elapsed.
    case restartDue(run: Int)
}

extension ChannelTranscoder {
    /// FFmpeg reported progress. A speed under real time is logged once when it starts.
    func record(_ progress: FFmpegProgress) {
        let slowBefore = state.withLockedValue { state -> Bool in
            let wasSlow = state.progress.map(Self.isSlow) ?? false
            state.progress = progress
            return wasSlow
        }
        let slow = Self.isSlow(progress)
        if slow && !slowBefore {
            logger.warning("FFmpeg runs slower than real time (speed \(progress.speed.map { "\($0)" } ?? "?")): the renditions fall behind")
        } else if !slow && slowBefore {
            logger.notice("FFmpeg keeps up with real time again")
        }
    }

    /// Below 0.95x the renditions lag further behind every second. The first seconds, while
    /// FFmpeg probes its input, do not count.
    static func isSlow(_ progress: FFmpegProgress) -> Bool {
        guard let speed = progress.speed, let elapsed = progress.outTimeMicroseconds, elapsed > 5_000_000 else { return false }
        return speed < 0.95
    }
}
