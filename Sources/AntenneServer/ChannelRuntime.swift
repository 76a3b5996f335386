import Delivery
import Hub
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Packager
import ServiceLifecycle
import Transcoder

/// The channels the server runs: for each, its packager and, when it has a ladder, its
/// transcoder. Channels from the command line or the configuration file start with the server;
/// channels of the control plane start when they first publish.
final class ChannelRuntime: Sendable {
    private let hub: Hub
    let packagers: PackagerRegistry
    private let packagerConfiguration: PackagerConfiguration
    /// When a channel counts as unhealthy.
    let channelHealth: ChannelHealthMonitor.Configuration
    private let ffmpeg: String
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let state = NIOLockedValueBox(State())
    private let starts: AsyncStream<@Sendable () async -> Void>
    private let startContinuation: AsyncStream<@Sendable () async -> Void>.Continuation

    private struct State {
        var channels: [String: ServerConfiguration.Channel] = [:]
        var transcoders: [ChannelTranscoder] = []
    }

    init(hub: Hub, packagers: PackagerRegistry, configuration: ServerConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.hub = hub
        self.packagers = packagers
        self.packagerConfiguration = configuration.packager
        self.channelHealth = configuration.channelHealth
        self.ffmpeg = configuration.ffmpegPath
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        (starts, startContinuation) = AsyncStream.makeStream()
        for channel in configuration.channels { ensure(channel) }
    }

    var transcoders: [ChannelTranscoder] { state.withLockedValue { $0.transcoders } }

    func visibility(of name: String) -> ChannelVisibility {
        state.withLockedValue { $0.channels[name]?.visibility } ?? .public
    }

    /// Sets a channel up unless it runs already. Its tasks start in the runtime's service.
    /// `onTranscoderFailure` hears of its FFmpeg's failures (already logged), if it is transcoded.
    /// Returns whether the channel is new.
    @discardableResult
    func ensure(
        _ channel: ServerConfiguration.Channel, onTranscoderFailure: @escaping @Sendable (TranscoderFailure) -> Void = { _ in }
    ) -> Bool {
        let isNew = state.withLockedValue { state in
            guard state.channels[channel.name] == nil else { return false }
            state.channels[channel.name] = channel
            return true
        }
        guard isNew else { return false }
        let ladder = channel.ladder
        let transcoded = ladder.rungs.isEmpty && ladder.audio == nil ? nil : hub.renditionsChannel(of: channel.name)
        let packager = ChannelPackager(
            channel: hub.channel(named: channel.name),
            renditions: transcoded,
            plan: RenditionPlan(
                offerSource: transcoded == nil || ladder.includeSource,
                audioFromRenditions: transcoded != nil && ladder.audio != nil,
                audioOnlyVariant: ladder.audioOnlyVariant
            ),
            configuration: packagerConfiguration,
            now: AntenneServer.wallClock
        )
        packagers.register(packager)
        startContinuation.yield { await packager.run() }
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
            state.withLockedValue { $0.transcoders.append(transcoder) }
            startContinuation.yield { await transcoder.run() }
        }
        return true
    }

    /// A channel's source track set.
    func hubChannel(named name: String) -> HubChannel {
        hub.channel(named: name)
    }

    /// Runs `task` beside the channels' own tasks, until shutdown cancels it.
    func spawn(_ task: @escaping @Sendable () async -> Void) {
        startContinuation.yield(task)
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
struct ChannelRuntimeService: Service {
    let runtime: ChannelRuntime

    func run() async throws {
        await runtime.run()
    }
}
