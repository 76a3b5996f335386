import Containers
import Hub
import Logging
import MediaCore
import NIOConcurrencyHelpers
import NIOCore

/// The transcoder's loop state: which source tracks go to FFmpeg, the running child, and the
/// supervisor that decides when to start, stop and restart it.
struct TranscoderRun {
    let transcoder: ChannelTranscoder
    let inputs: AsyncStream<TranscoderEvent>.Continuation
    private var supervisor = TranscoderSupervisor()

    /// The source tracks FFmpeg reads: the video, and the audio when the ladder encodes it.
    private var selection: SourceSelection?
    /// A start is due: FFmpeg launches on the next video key frame, so its first output frame is
    /// a key frame at a source key frame's time.
    private var startPending = false
    private var child: RunningChild?
    private var runNumber = 0

    struct RunningChild {
        let run: Int
        let process: FFmpegProcess
        var feed: FFmpegFeed
        let output: RenditionsOutput
    }

    init(transcoder: ChannelTranscoder, inputs: AsyncStream<TranscoderEvent>.Continuation) {
        self.transcoder = transcoder
        self.inputs = inputs
    }

    private var now: ContinuousClock.Instant { .now }
    private var logger: Logger { transcoder.log }

    mutating func handle(_ input: TranscoderEvent) async {
        switch input {
        case .hub(.tracks(let infos)):
            do {
                selection = try SourceSelection(infos, encodeAudio: transcoder.ladder.audio != nil)
                transcoder.passthroughOnly(false)
            } catch {
                transcoder.passthroughOnly(true)
                if selection != nil || transcoder.status.lastError != error.description {
                    logger.warning("not transcoding, passthrough only: \(error)")
                }
                transcoder.update { $0.lastError = error.description }
                selection = nil
            }
            // A new track set (a reconnect or a codec change) needs a new FFmpeg.
            if child != nil { perform(supervisor.sourceStopped(at: now)) }
            if selection != nil { perform(supervisor.sourceStarted(at: now)) }
        case .hub(.sample(let index, let sample)):
            guard let selection else { return }
            if startPending, index == selection.videoIndex, sample.isSync, child == nil {
                startPending = false
                await launch(selection, first: sample)
            }
            feed(index, sample)
        case .hub(.end):
            if selection != nil { perform(supervisor.sourceStopped(at: now)) }
            selection = nil
            startPending = false
        case .exited(let run, let exit):
            guard let child, child.run == run else { return }
            child.output.finish()
            self.child = nil
            transcoder.update {
                $0.running = false
                $0.pid = nil
            }
            let cause = exit.signal.map { TranscoderFailure.Cause.killed(signal: $0) } ?? .exited(status: exit.status)
            perform(supervisor.processExited(status: exit.status, at: now), failure: cause)
        case .restartDue(let run):
            guard run == runNumber else { return }
            perform(supervisor.restartTimerFired(at: now))
        }
    }

    /// Stops FFmpeg for good (server shutdown) and waits for it.
    mutating func shutdown() async {
        _ = supervisor.shutdown(at: now)
        guard let child else { return }
        let exit = await child.process.stop(grace: supervisor.configuration.stopGracePeriod)
        child.output.finish()
        self.child = nil
        transcoder.update {
            $0.running = false
            $0.pid = nil
            $0.lastExitStatus = exit.status
        }
    }

    /// Carries out the supervisor's actions. `failure` is what ended FFmpeg when the actions
    /// answer an exit: a restart scheduled then means the supervisor counted a failure.
    private mutating func perform(_ actions: [TranscoderSupervisor.Action], failure: TranscoderFailure.Cause? = nil) {
        defer {
            let counters = supervisor.counters
            transcoder.update {
                $0.restarts = counters.restarts
                $0.lastExitStatus = counters.lastExitStatus
            }
        }
        for action in actions {
            switch action {
            case .start:
                startPending = selection != nil
            case .stop(let grace):
                startPending = false
                if let process = child?.process {
                    Task { _ = await process.stop(grace: grace) }
                }
            case .scheduleRestart(let delay):
                runNumber += 1
                let run = runNumber
                let inputs = self.inputs
                Task {
                    try? await Task.sleep(for: delay)
                    inputs.yield(.restartDue(run: run))
                }
                if let failure {
                    transcoder.failed(TranscoderFailure(
                        cause: failure, restartAttempt: supervisor.counters.consecutiveFailures, restartDelay: delay))
                }
            case .cancelRestart:
                runNumber += 1
            case .log(let level, let message):
                logger.log(level: level.level, "\(message)")
            }
        }
    }

    private mutating func launch(_ selection: SourceSelection, first: Sample) async {
        runNumber += 1
        let run = runNumber
        let ladder = transcoder.ladder.fitted(to: selection.video.video ?? VideoParameters(width: 0, height: 0))
        let arguments = FFmpegCommand.arguments(
            ladder: ladder, source: selection.input, overlays: transcoder.overlays)
        let start = MediaTime(ticks: first.dts, timescale: selection.video.timescale).rescaled(to: 90_000).ticks
        let output = RenditionsOutput(
            publisher: transcoder.renditionsChannel.acquirePublisher(),
            names: ladder.rungs.map(\.name),
            demuxer: TSDemuxer(timestampOffset: ChannelTranscoder.timestampOffset, expectedStart: start),
            transcoder: transcoder
        )
        do {
            let feed = try FFmpegFeed(tracks: selection.tracks, timestampOffset: ChannelTranscoder.timestampOffset)
            let progress = NIOLockedValueBox(FFmpegProgressParser())
            let process = try await FFmpegProcess.launch(
                executable: transcoder.executable,
                arguments: arguments,
                group: transcoder.eventLoopGroup,
                output: { output.receive($0) },
                errorLine: { [transcoder] line in
                    switch progress.withLockedValue({ $0.feed(line: line) }) {
                    case .progress(let p): transcoder.record(p)
                    case .message(let message): transcoder.log.warning("ffmpeg: \(message)")
                    case .none: break
                    }
                }
            )
            child = RunningChild(run: run, process: process, feed: feed, output: output)
            transcoder.update {
                $0.running = true
                $0.pid = process.pid
                $0.starts += 1
            }
            logger.info("FFmpeg started (pid \(process.pid)): \(ladder.rungs.map(\.name).joined(separator: ", "))")
            perform(supervisor.processStarted(at: now))
            let inputs = self.inputs
            Task {
                let exit = await process.waitForExit()
                await process.waitForOutputEnd()
                inputs.yield(.exited(run: run, exit))
            }
        } catch {
            output.finish()
            logger.error("FFmpeg could not be started: \(error)")
            perform(supervisor.processExited(status: -1, at: now), failure: .launchFailed("\(error)"))
        }
    }

    /// Writes one source sample to FFmpeg as MPEG-TS (``FFmpegFeed``), and counts what it drops.
    private mutating func feed(_ index: Int, _ sample: Sample) {
        guard var child, let selection, let track = selection.muxerTrack(forHubTrack: index) else { return }
        let isVideo = index == selection.videoIndex
        switch child.feed.write(sample, track: track, isVideo: isVideo, to: child.process) {
        case .written:
            if isVideo {
                let time = MediaTime(ticks: sample.pts, timescale: selection.video.timescale)
                transcoder.update { $0.inputTime = time }
            }
        case .skipped:
            break
        case .refused:
            transcoder.update { $0.droppedInput += 1 }
        case .unmuxable(let error):
            transcoder.update { $0.droppedInput += 1 }
            logger.warning("a source sample could not be muxed for FFmpeg: \(error)")
        }
        self.child = child
    }
}
