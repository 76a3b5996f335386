import Control
import Delivery
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Playback's questions about what is not running, answered from the control plane: offline
/// channels (catch-up after a restart), recordings (`vod/{id}`) and clips (`clips/{id}`).
struct ServerPlaybackCatalog: PlaybackCatalog {
    let store: NIOLockedValueBox<ControlStore?>
    let logger: Logger

    func offlineChannel(named name: String) async -> ChannelVisibility? {
        guard let store = store.withLockedValue({ $0 }) else { return nil }
        do {
            return try await store.channel(named: name).map { ChannelVisibility($0.visibility) }
        } catch {
            logger.warning("channel lookup for archive playback failed: \(error)", metadata: ["channel": "\(name)"])
            return nil
        }
    }

    func recording(id: String) async -> ArchivedRange? {
        nil
    }

    func clip(id: String) async -> ArchivedClip? {
        nil
    }
}
