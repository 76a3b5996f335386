import Control
import Hub
import NIOConcurrencyHelpers
import NIOPosix
import Scheduling

/// Follows a control-plane channel's track set and reports each publish session's start (its
/// first `.tracks`) and end (`.end`), for the `stream.started` and `stream.stopped` webhooks, and
/// its health (``ChannelHealthMonitor``), for `channel.unhealthy`.
///
/// Two tasks feed one ``State``: the hub events, and a tick that catches a publisher that sends
/// nothing at all. They queue what to report, in order, for a third that emits it, so a slow
/// emit never holds up the reading of the hub.
public struct StreamEventWatcher: Sendable {
    /// Events the watcher may lag before the hub cuts it off. It only looks at each event, so it
    /// keeps up; a few seconds of samples at any bitrate fit.
    static let queueCapacity = 4_096
    /// How often the health is checked when no event comes: a `no-video` episode is reported at
    /// most this long after the timeout.
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

    /// Runs until cancelled.
    public func run() async {
        let state = NIOLockedValueBox(State(monitor: ChannelHealthMonitor(configuration: health)))
        let (reports, queue) = AsyncStream.makeStream(of: State.Report.self)
        /// Updates the state and queues its reports under one lock, so they keep their order.
        @Sendable func update(_ change: (inout State) -> [State.Report]) {
            state.withLockedValue { state in
                for report in change(&state) { queue.yield(report) }
            }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await follow(update) }
            group.addTask {
                while (try? await MultiThreadedEventLoopGroup.singleton.sleep(for: Self.tickInterval)) != nil {
                    let now = ContinuousClock.now
                    update { $0.tick(at: now) }
                }
            }
            for await report in reports {
                await emit(report.event, channel, report.detail)
            }
            group.cancelAll()
        }
    }

    private func follow(_ update: @Sendable ((inout State) -> [State.Report]) -> Void) async {
        var reader = self.reader
        while !Task.isCancelled {
            while let events = await reader.next() {
                let now = ContinuousClock.now
                update { state in events.flatMap { state.receive($0, at: now) } }
            }
            if Task.isCancelled { return }
            // The hub cut this reader off (its queue overflowed): subscribe again and catch up. A
            // session under way sends its `.tracks` first, which reads as "still live".
            reader = hubChannel.reader(capacity: Self.queueCapacity)
            let isLive = hubChannel.isLive
            let now = ContinuousClock.now
            update { $0.resubscribed(isLive: isLive, at: now) }
        }
    }
}
