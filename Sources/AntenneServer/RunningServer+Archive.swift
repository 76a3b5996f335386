import Archive
import Control
import Events
import Foundation

extension RunningServer {
    /// Archive writes started failing (`failure`) or work again (nil): every running archived
    /// channel gets a `channel.unhealthy` webhook, once each way.
    /// (The writer has logged the failure and will log the recovery.)
    func archiveHealthChanged(_ failure: ArchiveError?) async {
        let running = runtime.channels
        let channels: [Control.Channel]
        do {
            channels = try await store.channels(ids: running.map(\.id)).filter(\.archive.enabled)
        } catch {
            logger.warning("archive health: channel lookup failed: \(error)")
            return
        }
        let detail = ArchiveHealthDetail(failure)
        for channel in channels {
            await events.emit(.channelUnhealthy, channel: channel, detail: .archive(detail))
        }
    }
}
