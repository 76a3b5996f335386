import Containers
import Hub
import Logging
import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import Transcoder

/// A push's loop state: the tracks it carries, the running FFmpeg, and the supervisor that
/// decides when to start, stop and retry it.
struct PushRun {
    let pusher: DestinationPusher
    let inputs: AsyncStream<PushEvent>.Continuation
    private var supervisor = TranscoderSupervisor(configuration: DestinationPusher.supervisorConfiguration)
    private var tracks: RestreamTracks?
    /// A start is due: FFmpeg launches on the next video key frame, so the destination's first
    /// frame is a key frame.
    private var startPending = false
    private var child: RunningChild?
    private var runNumber = 0

    struct RunningChild {
        let run: Int
        let process: FFmpegProcess
        var feed: FFmpegFeed
        /// Bytes sent by the runs before this one.
        let bytesBefore: Int64
    }

    init(pusher: DestinationPusher, inputs: AsyncStream<PushEvent>.Continuation) {
        self.pusher = pusher
        self.inputs = inputs
    }

    private var now: ContinuousClock.Instant { .now }
    private var logger: Logger { pusher.logger }
    private var url: DestinationURL { pusher.destination.url }

    mutating func handle(_ input: PushEvent) async {
        switch input {
        case .hub(.tracks(let infos)):
            do {
                tracks = try RestreamTracks(infos, rendition: pusher.destination.rendition)
            } catch {
                if tracks != nil || pusher.status.lastError != error.description {
                    logger.warning("not restreaming: \(error)")
                }
                pusher.update { $0.lastError = error.description }
                tracks = nil
            }
            // A new track set (a reconnect or a codec change) needs a new FFmpeg.
            if child != nil { perform(supervisor.sourceStopped(at: now)) }
            if tracks != nil { perform(supervisor.sourceStarted(at: now)) }
        case .hub(.sample(let index, let sample)):
            guard let tracks else { return }
            if startPending, index == tracks.videoIndex, sample.isSync, child == nil {
                startPending = false
                await launch(tracks)
            }
            feed(index, sample)
        case .hub(.end):
            if tracks != nil { perform(supervisor.sourceStopped(at: now)) }
            tracks = nil
            startPending = false
            if child == nil { pusher.update { $0.state = .idle } }
        case .exited(let run, let exit):
            guard let child, child.run == run else { return }
            self.child = nil
            let requested = supervisor.phase == .stopping(spawned: true)
            pusher.update { status in
                status.state = .idle
                // FFmpeg's own message, when it printed one, is more telling than its status.
                if !requested && status.lastError == nil { status.lastError = Self.describe(exit) }
            }
            perform(supervisor.processExited(status: exit.status, at: now))
        case .restartDue(let run):
            guard run == runNumber else { return }
            perform(supervisor.restartTimerFired(at: now))
        }
    }

    /// Stops FFmpeg for good (the destination was removed, or the server stops) and waits for it.
    mutating func shutdown() async {
        _ = supervisor.shutdown(at: now)
        guard let child else { return }
        _ = await child.process.stop(grace: supervisor.configuration.stopGracePeriod)
        self.child = nil
        pusher.update { $0.state = .idle }
    }

    static func describe(_ exit: FFmpegExit) -> String {
        exit.signal.map { "FFmpeg was killed by signal \($0)" } ?? "FFmpeg exited with status \(exit.status)"
    }

    private mutating func perform(_ actions: [TranscoderSupervisor.Action]) {
        defer {
            let restarts = supervisor.counters.restarts
            pusher.update { $0.restarts = restarts }
        }
        for action in actions {
            switch action {
            case .start:
                startPending = tracks != nil
            case .stop(let grace):
                startPending = false
                if let process = child?.process {
                    Task { _ = await process.stop(grace: grace) }
                }
            case .scheduleRestart(let delay):
                runNumber += 1
                let run = runNumber
                let inputs = self.inputs
                pusher.update { $0.state = .retrying }
                Task {
                    try? await Task.sleep(for: delay)
                    inputs.yield(.restartDue(run: run))
                }
            case .cancelRestart:
                runNumber += 1
            case .log(let level, let message):
                logger.log(level: level.level, "\(message)")
            }
        }
    }

    private mutating func launch(_ tracks: RestreamTracks) async {
        runNumber += 1
        let run = runNumber
        let pusher = self.pusher
        let url = self.url
        let bytesBefore = pusher.status.bytesSent
        do {
            let feed = try FFmpegFeed(tracks: tracks.tracks, timestampOffset: DestinationPusher.timestampOffset)
            let progress = NIOLockedValueBox(FFmpegProgressParser())
            let process = try await FFmpegProcess.launch(
                executable: pusher.ffmpeg,
                arguments: RestreamCommand.arguments(for: url),
                group: pusher.eventLoopGroup,
                output: { _ in },
                errorLine: { line in
                    switch progress.withLockedValue({ $0.feed(line: line) }) {
                    case .progress(let block):
                        guard let total = block.totalSizeBytes, total > 0 else { return }
                        pusher.update { status in
                            status.bytesSent = bytesBefore + total
                            if status.state == .connecting { status.state = .pushing }
                        }
                    case .message(let message):
                        let line = String(url.redact(message).prefix(RestreamStatus.maximumErrorLength))
                        pusher.logger.warning("ffmpeg: \(line)")
                        pusher.update { $0.lastError = line }
                    case .none:
                        break
                    }
                }
            )
            child = RunningChild(run: run, process: process, feed: feed, bytesBefore: bytesBefore)
            pusher.update {
                $0.state = .connecting
                $0.starts += 1
            }
            logger.info("push started (pid \(process.pid))")
            perform(supervisor.processStarted(at: now))
            let inputs = self.inputs
            Task {
                let exit = await process.waitForExit()
                inputs.yield(.exited(run: run, exit))
            }
        } catch {
            let line = url.redact("\(error)")
            logger.error("push could not be started: \(line)")
            pusher.update { $0.lastError = String(line.prefix(RestreamStatus.maximumErrorLength)) }
            perform(supervisor.processExited(status: -1, at: now))
        }
    }

    /// Writes one sample to FFmpeg as MPEG-TS (``FFmpegFeed``), and counts what it drops: a slow
    /// destination loses input up to the next key frame.
    private mutating func feed(_ index: Int, _ sample: Sample) {
        guard var child, let tracks, let track = tracks.muxerTrack(forHubTrack: index) else { return }
        switch child.feed.write(sample, track: track, isVideo: index == tracks.videoIndex, to: child.process) {
        case .written, .skipped:
            break
        case .refused, .unmuxable:
            pusher.update { $0.droppedSamples += 1 }
        }
        self.child = child
    }
}
