import Control
import Events
import Hub
import Logging
import Packager
import Transcoder

/// Sets up what a channel needs to run (packager, transcoder, the watcher of its stream events)
/// when it first publishes, or at start for the channels the configuration declares.
public struct ChannelProvisioner: Sendable {
    let runtime: ChannelRuntime
    let events: ChannelEvents
    /// Overlays are the server's own (a watermark is a file on this machine), by channel name.
    let overlays: [String: Overlays]
    /// When a channel counts as unhealthy.
    let health: ChannelHealthMonitor.Configuration
    let logger: Logger

    public init(
        runtime: ChannelRuntime, events: ChannelEvents, overlays: [String: Overlays], health: ChannelHealthMonitor.Configuration,
        logger: Logger
    ) {
        self.runtime = runtime
        self.events = events
        self.overlays = overlays
        self.health = health
        self.logger = logger
    }

    public func provision(_ channel: Control.Channel) {
        let spec = ChannelSpec(channel, overlays: overlays[channel.name] ?? Overlays(), logger: logger)
        let isNew = runtime.ensure(spec, onMarker: { [events] marker in
            events.markerStarted(MarkerDetail(marker), channel: channel)
        }) { [events] failure in
            events.transcoderFailed(failure, channel: channel)
        }
        guard isNew else { return }
        // Subscribed here, before a publisher takes the channel, so its start is seen.
        let watcher = StreamEventWatcher(
            channel: channel, hubChannel: runtime.hubChannel(named: channel.name), health: health
        ) { [events] event, channel, detail in
            await events.streamEvent(event, channel: channel, detail: detail)
        }
        runtime.attach(to: channel.name) { await watcher.run() }
    }
}
