import Control
import Hub
import NIOPosix
import Scheduling

/// Follows a channel's track set and reports each publish session's start (its first `.tracks`)
/// and end (`.end`), for the `stream.started` and `stream.stopped` webhooks, and its health
/// (``ChannelHealthMonitor``), for `channel.unhealthy`.
public struct StreamEventWatcher: Sendable {
    /// Events the watcher may lag before the hub cuts it off: a tick's worth at any bitrate
    /// (~110 events/s for 60 fps video with AAC) many times over, and a slow webhook store too.
    static let queueCapacity = 4_096
    /// How often the hub's events are taken and the health checked: a start, a stop or a
    /// `no-video` episode is reported at most this long after it happens.
    static let tickInterval: Duration = .milliseconds(500)

    let channel: Control.Channel
    let hubChannel: HubChannel
    let reader: HubReader
    let health: ChannelHealthMonitor.Configuration
    let emit: @Sendable (WebhookEvent, Control.Channel, EventDetail?) async -> Void

    /// Subscribes at once, so a session that starts before ``run()`` is not missed.
    public init(
        channel: Control.Channel, hubChannel: HubChannel, health: ChannelHealthMonitor.Configuration = .init(),
        emit: @escaping @Sendable (WebhookEvent, Control.Channel, EventDetail?) async -> Void
    ) {
        self.channel = channel
        self.hubChannel = hubChannel
        self.reader = hubChannel.reader(capacity: Self.queueCapacity)
        self.health = health
        self.emit = emit
    }

    /// Runs until cancelled: every ``tickInterval`` it takes what the hub queued and checks the
    /// health. Looking on its own timer, rather than being woken for every batch the publisher
    /// sends, costs two wake-ups a second whatever the bitrate; a start or stop is reported within
    /// a tick. Reports are sent by a task of their own, so a slow send (a database under load)
    /// never holds up the ticks, whose times the health is judged by.
    public func run() async {
        let (reports, queue) = AsyncStream.makeStream(of: State.Report.self)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await follow(queue)
                queue.finish()
            }
            for await report in reports {
                await emit(report.event, channel, report.detail)
            }
            group.cancelAll()
        }
    }

    private func follow(_ queue: AsyncStream<State.Report>.Continuation) async {
        var state = State(monitor: ChannelHealthMonitor(configuration: health))
        var reader = self.reader
        while (try? await MultiThreadedEventLoopGroup.singleton.sleep(for: Self.tickInterval)) != nil {
            let now = ContinuousClock.now
            var reports: [State.Report] = []
            if let events = reader.take() {
                for event in events { reports += state.receive(event, at: now) }
            } else {
                // The hub cut this reader off (its queue overflowed): subscribe again and catch
                // up. A session under way sends its `.tracks` first, which reads as "still live".
                reader = hubChannel.reader(capacity: Self.queueCapacity)
                reports += state.resubscribed(isLive: hubChannel.isLive, at: now)
            }
            reports += state.tick(at: now)
            for report in reports { queue.yield(report) }
        }
    }
}
