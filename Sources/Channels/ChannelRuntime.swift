import Archive
import Delivery
import Foundation
import Hub
import Logging
import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import Packager
import ServiceLifecycle
import Transcoder

/// The channels the server runs: for each, its packager and, when it has a ladder, its
/// transcoder. A channel starts when it first publishes (the channels the configuration declares
/// start with the server) and stops when it is deleted.
public final class ChannelRuntime: Sendable {
    let hub: Hub
    public let packagers: PackagerRegistry
    private let packagerConfiguration: PackagerConfiguration
    private let ffmpeg: String
    /// Wall clock, Unix epoch milliseconds.
    let now: @Sendable () -> Int64
    private let eventLoopGroup: any EventLoopGroup
    private let archive: ArchiveWriter
    private let archiveReader: ArchiveReader
    private let logger: Logger
    private let state = NIOLockedValueBox([String: Running]())
    private let starts: AsyncStream<@Sendable () async -> Void>
    private let startContinuation: AsyncStream<@Sendable () async -> Void>.Continuation

    /// A running channel. Its tasks run in one task group fed by `tasks`; finishing `tasks` stops
    /// them.
    private struct Running {
        var channel: ChannelSpec
        var transcoder: ChannelTranscoder?
        var tasks: AsyncStream<@Sendable () async -> Void>.Continuation
    }

    /// - Parameters:
    ///   - ffmpeg: the FFmpeg the transcoders run.
    ///   - now: wall clock, Unix epoch milliseconds.
    public init(
        hub: Hub, packagers: PackagerRegistry, packager: PackagerConfiguration, ffmpeg: String, archive: ArchiveWriter,
        archiveReader: ArchiveReader, eventLoopGroup: any EventLoopGroup, logger: Logger, now: @escaping @Sendable () -> Int64
    ) {
        self.hub = hub
        self.archive = archive
        self.archiveReader = archiveReader
        self.packagers = packagers
        self.packagerConfiguration = packager
        self.ffmpeg = ffmpeg
        self.now = now
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        (starts, startContinuation) = AsyncStream.makeStream()
    }

    public var transcoders: [ChannelTranscoder] {
        state.withLockedValue { $0.values.compactMap(\.transcoder) }.sorted { $0.name < $1.name }
    }

    public func visibility(of name: String) -> ChannelVisibility {
        state.withLockedValue { $0[name]?.channel.visibility } ?? .public
    }

    /// How a running channel's media is encrypted (nil: clear, or not running).
    public func encryption(of name: String) -> ContentEncryption? {
        state.withLockedValue { $0[name]?.channel.encryption }
    }

    /// Whether a running channel has peer-assisted delivery on; a channel that does not run has not,
    /// nor has an encrypted one: the tracker's digests are of the clear objects, so every object a
    /// peer passed on would fail its check and the honest peer would be banned.
    public func isP2PEnabled(_ name: String) -> Bool {
        state.withLockedValue { $0[name].map { $0.channel.p2p && $0.channel.encryption == nil } } ?? false
    }

    /// The running channels.
    public var channels: [ChannelSpec] {
        state.withLockedValue { $0.values.map(\.channel) }
    }

    /// Sets a channel up unless it runs already. Its tasks start in the runtime's service.
    /// `onTranscoderFailure` hears of its FFmpeg's failures (already logged), if it is transcoded;
    /// `onMarker` of every marker that starts on it. Returns whether the channel is new.
    @discardableResult
    func ensure(
        _ channel: ChannelSpec, onMarker: (@Sendable (LiveMarker) -> Void)? = nil,
        onTranscoderFailure: @escaping @Sendable (TranscoderFailure) -> Void = { _ in }
    ) -> Bool {
        let (tasks, continuation) = AsyncStream<@Sendable () async -> Void>.makeStream()
        let isNew = state.withLockedValue { running in
            guard running[channel.name] == nil else { return false }
            running[channel.name] = Running(channel: channel, transcoder: nil, tasks: continuation)
            return true
        }
        guard isNew else { return false }
        let ladder = channel.ladder
        let transcoded = ladder.rungs.isEmpty && ladder.audio == nil ? nil : hub.renditionsChannel(of: channel.name)
        let archive = self.archive
        let onSegment: (@Sendable (CompletedSegment) -> Void)? = channel.archived ? { @Sendable segment in _ = archive.enqueue(segment) } : nil
        let packager = ChannelPackager(
            channel: hub.channel(named: channel.name),
            renditions: transcoded,
            plan: RenditionPlan(
                offerSource: transcoded == nil || ladder.includeSource,
                audioFromRenditions: transcoded != nil && ladder.audio != nil,
                audioOnlyVariant: ladder.audioOnlyVariant
            ),
            configuration: packagerConfiguration,
            now: now,
            onSegment: onSegment,
            onMarker: onMarker
        )
        packagers.register(packager)
        let logger = self.logger
        continuation.yield { [archiveReader] in
            if channel.archived {
                // The media sequence goes on from the archive, after a restart or a crash.
                do {
                    if let last = try await archiveReader.lastMSN(channel: channel.name) {
                        await packager.resume(after: last)
                        logger.info("channel resumes after archived segment \(last)", metadata: ["channel": "\(channel.name)"])
                    }
                } catch {
                    logger.warning("channel starts without its archive's numbering: \(error)", metadata: ["channel": "\(channel.name)"])
                }
            }
            await packager.run()
        }
        if let transcoded {
            let transcoder = ChannelTranscoder(
                source: hub.channel(named: channel.name),
                output: transcoded,
                ladder: ladder,
                overlays: channel.overlays,
                ffmpeg: ffmpeg,
                eventLoopGroup: eventLoopGroup,
                logger: logger,
                onPassthroughOnly: { packager.fallBackToSource($0) },
                onFailure: onTranscoderFailure
            )
            state.withLockedValue { $0[channel.name]?.transcoder = transcoder }
            continuation.yield { await transcoder.run() }
        }
        startContinuation.yield {
            await withTaskGroup(of: Void.self) { group in
                for await task in tasks {
                    group.addTask { await task() }
                }
                // Removed, or the runtime shuts down: packager and transcoder stop (FFmpeg with it).
                group.cancelAll()
            }
        }
        return true
    }

    /// Runs `task` with the channel's own tasks: it is cancelled when the channel is removed.
    func attach(to name: String, _ task: @escaping @Sendable () async -> Void) {
        _ = state.withLockedValue { $0[name] }?.tasks.yield(task)
    }

    /// Stops a channel: its playback URLs answer 404 at once, its packager and transcoder stop.
    func remove(_ name: String) {
        guard let running = state.withLockedValue({ $0.removeValue(forKey: name) }) else { return }
        packagers.unregister(named: name)
        running.tasks.finish()
        logger.info("channel stopped", metadata: ["channel": "\(name)"])
    }

    func setVisibility(_ visibility: ChannelVisibility, of name: String) {
        state.withLockedValue { $0[name]?.channel.visibility = visibility }
    }

    func setEncryption(_ encryption: ContentEncryption?, of name: String) {
        state.withLockedValue { $0[name]?.channel.encryption = encryption }
    }

    func setP2P(_ enabled: Bool, of name: String) {
        state.withLockedValue { $0[name]?.channel.p2p = enabled }
    }

    /// A channel's source track set.
    func hubChannel(named name: String) -> HubChannel {
        hub.channel(named: name)
    }

    /// Runs every channel's tasks, including those of channels added later, until shutdown.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            await withGracefulShutdownHandler {
                for await start in starts {
                    group.addTask { await start() }
                }
            } onGracefulShutdown: { [startContinuation] in
                startContinuation.finish()
            }
            // Packagers and transcoders run until cancelled; transcoders stop FFmpeg on the way.
            group.cancelAll()
        }
    }
}

/// Runs the channel runtime as a Service.
public struct ChannelRuntimeService: Service {
    let runtime: ChannelRuntime

    public init(runtime: ChannelRuntime) {
        self.runtime = runtime
    }

    public func run() async throws {
        await runtime.run()
    }
}
