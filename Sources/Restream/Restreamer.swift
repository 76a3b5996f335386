import Foundation
import Hub
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// The server's pushes: for each channel, the destinations it is restreamed to, each with its
/// own ``DestinationPusher``. Set a channel's destinations with ``apply(_:to:)`` (the control
/// plane's sync does, from the database); a destination that is new or changed starts, one that
/// is gone stops. A push reads the hub whether or not the channel is live, and starts with its
/// next publish.
public final class Restreamer: Sendable {
    private let hub: Hub
    private let ffmpeg: String
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    private struct State {
        var pushes: [UUID: Push] = [:]
        var isShutDown = false
    }

    private struct Push {
        let pusher: DestinationPusher
        let task: Task<Void, Never>
    }

    public init(hub: Hub, ffmpeg: String, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.hub = hub
        self.ffmpeg = ffmpeg
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Makes `destinations` the channel's whole set: starts the new and changed ones, stops those
    /// no longer listed. A destination id belongs to one channel.
    public func apply(_ destinations: [RestreamDestination], to channel: String) {
        let wanted = Dictionary(destinations.map { ($0.id, $0) }) { first, _ in first }
        let stopped: [Push] = state.withLockedValue { state in
            guard !state.isShutDown else { return [] }
            var stopped: [Push] = []
            // A push of this channel that changed or went, or one of these ids under another
            // channel's name (the channel was renamed).
            for (id, push) in state.pushes where push.pusher.channel == channel || wanted[id] != nil {
                if push.pusher.channel != channel || wanted[id] != push.pusher.destination {
                    stopped.append(push)
                    state.pushes[id] = nil
                }
            }
            for destination in destinations where state.pushes[destination.id] == nil {
                let source = destination.rendition == nil ? hub.channel(named: channel) : hub.renditionsChannel(of: channel)
                let pusher = DestinationPusher(
                    destination: destination, channel: channel, source: source, ffmpeg: ffmpeg,
                    eventLoopGroup: eventLoopGroup, logger: logger
                )
                state.pushes[destination.id] = Push(pusher: pusher, task: Task { await pusher.run() })
                logger.info("restream destination added", metadata: ["channel": "\(channel)", "destination": "\(destination)"])
            }
            return stopped
        }
        for push in stopped {
            push.task.cancel()
            logger.info("restream destination removed", metadata: ["channel": "\(channel)", "destination": "\(push.pusher.destination)"])
        }
    }

    /// Stops every push of channels not in `channels` (deleted channels).
    public func retain(channels: Set<String>) {
        let gone = Set(pushers.map(\.channel)).subtracting(channels)
        for channel in gone { apply([], to: channel) }
    }

    /// Every push, by destination.
    public var pushers: [DestinationPusher] {
        state.withLockedValue { $0.pushes.values.map(\.pusher) }
    }

    public func status(of destination: UUID) -> RestreamStatus? {
        state.withLockedValue { $0.pushes[destination]?.pusher.status }
    }

    /// Stops every push and waits for their FFmpeg children.
    public func shutdown() async {
        let pushes = state.withLockedValue { state in
            state.isShutDown = true
            defer { state.pushes = [:] }
            return Array(state.pushes.values)
        }
        for push in pushes { push.task.cancel() }
        for push in pushes { await push.task.value }
    }
}

/// Runs the restreamer as a Service: on graceful shutdown every push stops.
public struct RestreamService: Service {
    let restreamer: Restreamer

    public init(restreamer: Restreamer) {
        self.restreamer = restreamer
    }

    public func run() async throws {
        // Returns at graceful shutdown, or throws when cancelled: either way the pushes stop.
        try? await gracefulShutdown()
        await restreamer.shutdown()
    }
}
