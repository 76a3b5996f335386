import Foundation
import Hub
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import ServiceLifecycle
import Transcoder

/// Plays one channel's slate while no encoder feeds it: an FFmpeg child (``ProcessLauncher``: it
/// cannot outlive the server) that publishes the slate over RTMP with the channel's slate key, on
/// the channel's `slate` input. It starts when no live input feeds the channel, stops once one
/// does (the switch moves to the live input at its first key frame), and stops for good, so the
/// channel ends, once no live input has fed it for `timeout`. A child that exits on its own is
/// logged in one line and restarted with backoff.
final class SlateService: Service, Sendable {
    let channel: HubChannel
    let ffmpeg: String
    /// Nil: played for as long as the server runs.
    let timeout: Duration?
    let logger: Logger
    /// The FFmpeg arguments, known once the RTMP listener is up.
    let makeArguments: @Sendable () async throws -> [String]

    /// How often the channel's inputs are looked at: a quarter of the time a live input that left
    /// waits for the slate at most, beyond FFmpeg's start.
    static let tick: Duration = .milliseconds(250)
    /// Restarts of a failing child wait this long at first, doubling to ``maximumBackoff``.
    static let firstBackoff: Duration = .milliseconds(500)
    static let maximumBackoff: Duration = .seconds(10)
    /// A child that ran this long failed afresh: its backoff starts over.
    static let healthyRun: Duration = .seconds(30)

    init(channel: HubChannel, ffmpeg: String, timeout: Duration?, logger: Logger,
         makeArguments: @escaping @Sendable () async throws -> [String]) {
        self.channel = channel
        self.ffmpeg = ffmpeg
        self.timeout = timeout
        self.logger = logger
        self.makeArguments = makeArguments
    }

    func run() async throws {
        let arguments = try await makeArguments()
        var child: SlateChild?
        /// A child told to stop: the next starts once it is gone, its publish closed, since the
        /// channel's slate input takes one publisher.
        var stopping: SlateChild?
        var backoff = Self.firstBackoff
        var retryAt = ContinuousClock.now
        var liveAt = ContinuousClock.now
        defer {
            child?.stop()
            stopping?.stop()
        }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = ContinuousClock.now
            let status = channel.inputStatus
            if status.active?.isLive ?? false { liveAt = now }
            let wanted = !(status.active?.isLive ?? false) && timeout.map { now - liveAt < $0 } ?? true
            if let running = child, let exit = running.exitStatus {
                child = nil
                if now - running.started >= Self.healthyRun { backoff = Self.firstBackoff }
                logger.warning("slate ffmpeg exited with status \(exit); restarting in \(backoff)",
                               metadata: ["channel": "\(channel.name)"])
                retryAt = now + backoff
                backoff = min(backoff * 2, Self.maximumBackoff)
            }
            if stopping?.exitStatus != nil { stopping = nil }
            if wanted, child == nil, stopping == nil, now >= retryAt {
                do {
                    child = try await SlateChild.start(ffmpeg: ffmpeg, arguments: arguments)
                    logger.info("slate started", metadata: ["channel": "\(channel.name)"])
                } catch {
                    logger.error("slate ffmpeg could not be started: \(error)", metadata: ["channel": "\(channel.name)"])
                    retryAt = now + backoff
                    backoff = min(backoff * 2, Self.maximumBackoff)
                }
            } else if !wanted, let running = child {
                running.stop()
                stopping = running
                child = nil
                logger.info(status.active?.isLive ?? false ? "slate stopped: a live input feeds the channel" : "slate stopped: no live input for the slate timeout",
                            metadata: ["channel": "\(channel.name)"])
            }
            try? await Task.sleep(for: Self.tick)
        }
    }
}

/// One running slate FFmpeg. `Process` is not Sendable; it is started once and only terminated
/// after, from the service's task.
private final class SlateChild: @unchecked Sendable {
    let process: Process
    let started = ContinuousClock.now
    private let exit = NIOLockedValueBox<Int32?>(nil)

    private init(process: Process) {
        self.process = process
    }

    static func start(ffmpeg: String, arguments: [String]) async throws -> SlateChild {
        let process = Process()
        ProcessLauncher.configure(process, executable: ffmpeg, arguments: arguments)
        process.standardInput = FileHandle.nullDevice
        let child = SlateChild(process: process)
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
