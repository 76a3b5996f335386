import Control
import Hub

extension StreamEventWatcher {
    /// Whether a session is live, and its health; every change says what to report.
    struct State: Sendable {
        struct Report: Sendable {
            var event: WebhookEvent
            var detail: EventDetail?
        }

        var live = false
        var monitor: ChannelHealthMonitor

        init(monitor: ChannelHealthMonitor) {
            self.monitor = monitor
        }

        mutating func receive(_ event: HubEvent, at now: ContinuousClock.Instant) -> [Report] {
            var reports: [Report] = []
            switch event {
            case .tracks:
                // A later `.tracks` in the same session is a codec change, not a new stream.
                if !live {
                    live = true
                    reports.append(Report(event: .streamStarted))
                }
            case .end:
                if live {
                    live = false
                    reports.append(Report(event: .streamStopped))
                }
            case .sample:
                break
            }
            return reports + health(monitor.receive(event, at: now))
        }

        mutating func tick(at now: ContinuousClock.Instant) -> [Report] {
            health(monitor.tick(at: now))
        }

        /// The hub cut the watcher off and it subscribed again: a session that ended meanwhile
        /// is reported stopped.
        mutating func resubscribed(isLive: Bool, at now: ContinuousClock.Instant) -> [Report] {
            guard live && !isLive else { return [] }
            return receive(.end, at: now)
        }

        private func health(_ actions: [ChannelHealthMonitor.Action]) -> [Report] {
            actions.map { Report(event: .channelUnhealthy, detail: .channelHealth(ChannelHealthDetail($0, configuration: monitor.configuration))) }
        }
    }
}
