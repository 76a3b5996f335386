import Channels
import Control
import Foundation
import Hub
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import ServiceLifecycle
import Transcoder

/// The server's slate player: for each channel with a slate or a schedule (file playout), as the
/// control plane holds them (``PlayoutBoard``), an FFmpeg child (``ProcessLauncher``: it cannot outlive the server)
/// that publishes what the channel plays now (``SlateProgram``) over RTMP with the channel's slate
/// key, on the channel's `slate` input. It starts when no live input feeds the channel, stops once
/// one does (the switch moves to the live input at its first key frame), and a slate stops for
/// good, so the channel ends, once no live input has fed it for its timeout. When the program
/// changes (the next scheduled item starts) the child is replaced: a discontinuity. A scheduled
/// file starts where the clock says (``ScheduleCue/offsetMilliseconds(inFileOf:)``). A child that
/// exits on its own is logged in one line and restarted with backoff.
final class SlateService: Service, Sendable {
    let hub: Hub
    let ffmpeg: String
    let ffprobe: String
    let board: PlayoutBoard
    /// Where scheduled files and the API's slate files are; nil: none plays.
    let media: MediaLibrary?
    let logger: Logger
    /// The RTMP URL a slate key publishes to, known once the RTMP listener is up.
    let publishURL: @Sendable (String) async throws -> String

    /// How often the channels' inputs and programs are looked at: a quarter of the time a live
    /// input that left waits for the slate at most, beyond FFmpeg's start; and how late past its
    /// start a scheduled item may begin.
    static let tick: Duration = .milliseconds(250)
    /// Restarts of a failing child wait this long at first, doubling to ``maximumBackoff``.
    static let firstBackoff: Duration = .milliseconds(500)
    static let maximumBackoff: Duration = .seconds(10)
    /// A child that ran this long failed afresh: its backoff starts over.
    static let healthyRun: Duration = .seconds(30)

    init(
        hub: Hub, ffmpeg: String, ffprobe: String, board: PlayoutBoard, media: MediaLibrary?, logger: Logger,
        publishURL: @escaping @Sendable (String) async throws -> String
    ) {
        self.hub = hub
        self.ffmpeg = ffmpeg
        self.ffprobe = ffprobe
        self.board = board
        self.media = media
        self.logger = logger
        self.publishURL = publishURL
    }

    /// One channel's player.
    private struct Player {
        var child: SlateChild?
        /// A child told to stop: the next starts once it is gone, its publish closed, since the
        /// channel's slate input takes one publisher.
        var stopping: SlateChild?
        var backoff = SlateService.firstBackoff
        var retryAt = ContinuousClock.now
        var liveAt = ContinuousClock.now
    }

    func run() async throws {
        var players: [String: Player] = [:]
        defer {
            for player in players.values {
                player.child?.stop()
                player.stopping?.stop()
            }
        }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let entries = board.current
            for name in Set(entries.keys).union(players.keys) {
                var player = players[name] ?? Player()
                await step(&player, channel: name, entry: entries[name])
                players[name] = player.child == nil && player.stopping == nil && entries[name] == nil ? nil : player
            }
            try? await Task.sleep(for: Self.tick)
        }
    }

    private func step(_ player: inout Player, channel: String, entry: PlayoutBoard.Entry?) async {
        let now = ContinuousClock.now
        let isLive = hub.existingChannel(named: channel)?.inputStatus.active?.isLive ?? false
        if isLive { player.liveAt = now }
        let program = entry.flatMap { SlateProgram.at(Date(), $0) }
        let liveAt = player.liveAt
        let wanted = program.flatMap { program in
            !isLive && (program.timeout.map { now - liveAt < $0 } ?? true) ? program : nil
        }
        if let running = player.child, let exit = running.exitStatus {
            player.child = nil
            if now - running.started >= Self.healthyRun { player.backoff = Self.firstBackoff }
            logger.warning("slate ffmpeg exited with status \(exit); restarting in \(player.backoff)", metadata: ["channel": "\(channel)"])
            player.retryAt = now + player.backoff
            player.backoff = min(player.backoff * 2, Self.maximumBackoff)
        }
        if player.stopping?.exitStatus != nil { player.stopping = nil }
        if let wanted, player.child == nil, player.stopping == nil, now >= player.retryAt {
            do {
                player.child = try await SlateChild.start(ffmpeg: ffmpeg, arguments: try await arguments(wanted, channel: channel), program: wanted)
                logger.info("slate started: \(wanted.summary)", metadata: ["channel": "\(channel)"])
            } catch {
                logger.error("slate ffmpeg could not be started: \(error)", metadata: ["channel": "\(channel)"])
                player.retryAt = now + player.backoff
                player.backoff = min(player.backoff * 2, Self.maximumBackoff)
            }
        } else if let running = player.child, running.program != wanted {
            running.stop()
            player.stopping = running
            player.child = nil
            let reason = isLive ? "a live input feeds the channel"
                : wanted == nil && program != nil ? "no live input for the slate timeout"
                : wanted == nil ? "nothing to play" : "the program changed"
            logger.info("slate stopped: \(reason)", metadata: ["channel": "\(channel)"])
            // The next program starts at once, not after a failure's backoff.
            player.retryAt = now
        }
    }

    /// FFmpeg's arguments for `program`: a scheduled file from where the clock says it is.
    private func arguments(_ program: SlateProgram, channel: String) async throws -> [String] {
        let url = try await publishURL(program.streamKey)
        switch program.content {
        case .slate(let slate):
            let source: Slate.Source = switch slate.source {
            case .card: .card
            case .image: .image(path: try file(slate.path ?? ""))
            case .video: .video(path: try file(slate.path ?? ""))
            }
            return Slate(source: source, streamKey: program.streamKey, timeout: program.timeout).ffmpegArguments(channel: channel, url: url)
        case .scheduled(_, let item):
            let path = try file(item.path)
            let duration = try await FileDuration.milliseconds(of: path, ffprobe: ffprobe) ?? 0
            // Where the clock is now, after the probe.
            let offset = ScheduleCue.offsetMilliseconds(elapsed: item.elapsedMilliseconds(at: Date()), inFileOf: duration)
            return Slate(source: .video(path: path), streamKey: program.streamKey, timeout: nil)
                .ffmpegArguments(channel: channel, url: url, startMilliseconds: offset)
        }
    }
}

extension SlateService {
    /// A file to play: an absolute path as the configuration gives it (the API cannot store one),
    /// else a path inside the media directory.
    func file(_ path: String) throws -> String {
        if path.hasPrefix("/") { return path }
        guard let media else { throw ControlError.invalid(field: "path", reason: "the server has no media directory") }
        return try media.resolve(path)
    }
}

/// One running slate FFmpeg. `Process` is not Sendable; it is started once and only terminated
/// after, from the service's task.
private final class SlateChild: @unchecked Sendable {
    let process: Process
    let program: SlateProgram
    let started = ContinuousClock.now
    private let exit = NIOLockedValueBox<Int32?>(nil)

    private init(process: Process, program: SlateProgram) {
        self.process = process
        self.program = program
    }

    static func start(ffmpeg: String, arguments: [String], program: SlateProgram) async throws -> SlateChild {
        let process = Process()
        ProcessLauncher.configure(process, executable: ffmpeg, arguments: arguments)
        process.standardInput = FileHandle.nullDevice
        let child = SlateChild(process: process, program: program)
        process.terminationHandler = { [exit = child.exit] p in exit.withLockedValue { $0 = p.terminationStatus } }
        try await ProcessLauncher.start(process, on: MultiThreadedEventLoopGroup.singleton.next())
        return child
    }

    /// The exit status once it has exited.
    var exitStatus: Int32? { exit.withLockedValue { $0 } }

    /// Kills it: a slate has nothing to finish, and its publish must close before the next
    /// one can take the slate input.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
