import Control
import Hub

/// Follows a control-plane channel's track set and reports each publish session's start (its
/// first `.tracks`) and end (`.end`), for the `stream.started` and `stream.stopped` webhooks.
struct StreamEventWatcher: Sendable {
    /// Events the watcher may lag before the hub cuts it off. It only looks at each event, so it
    /// keeps up unless an emit stalls; a few seconds of samples at any bitrate fit.
    static let queueCapacity = 4_096

    let channel: Control.Channel
    let hubChannel: HubChannel
    let events: AsyncStream<HubEvent>
    let emit: @Sendable (WebhookEvent, Control.Channel) async -> Void

    /// Subscribes at once, so a session that starts before ``run()`` is not missed.
    init(channel: Control.Channel, hubChannel: HubChannel, emit: @escaping @Sendable (WebhookEvent, Control.Channel) async -> Void) {
        self.channel = channel
        self.hubChannel = hubChannel
        self.events = hubChannel.subscribe(capacity: Self.queueCapacity)
        self.emit = emit
    }

    /// Runs until cancelled.
    func run() async {
        var live = false
        var events = self.events
        while !Task.isCancelled {
            for await event in events {
                switch event {
                case .tracks:
                    // A later `.tracks` in the same session is a codec change, not a new stream.
                    if !live {
                        live = true
                        await emit(.streamStarted, channel)
                    }
                case .end:
                    if live {
                        live = false
                        await emit(.streamStopped, channel)
                    }
                case .sample:
                    continue
                }
            }
            if Task.isCancelled { return }
            // The hub cut this reader off (its queue overflowed): subscribe again and catch up. A
            // session under way sends its `.tracks` first, which reads as "still live".
            events = hubChannel.subscribe(capacity: Self.queueCapacity)
            if live && !hubChannel.isLive {
                live = false
                await emit(.streamStopped, channel)
            }
        }
    }
}
