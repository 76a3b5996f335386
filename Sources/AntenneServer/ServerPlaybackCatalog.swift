import Archive
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
        guard let store = store.withLockedValue({ $0 }), let uuid = UUID(uuidString: id) else { return nil }
        do {
            guard let recording = try await store.recording(id: uuid),
                  let channel = try await store.channels(ids: [recording.channelID]).first
            else { return nil }
            return ArchivedRange(
                channel: channel.name, start: recording.startsAt.unixMilliseconds, end: recording.endsAt?.unixMilliseconds)
        } catch {
            logger.warning("recording lookup failed: \(error)", metadata: ["recording": "\(id)"])
            return nil
        }
    }

    func clip(id: String) async -> ArchivedClip? {
        guard let store = store.withLockedValue({ $0 }), let uuid = UUID(uuidString: id) else { return nil }
        do {
            guard let job = try await store.clip(id: uuid) else { return nil }
            let range = ArchivedRange(channel: job.channelName, start: job.clip.start.unixMilliseconds, end: job.clip.end.unixMilliseconds)
            let file = job.clip.status == .ready ? try ClipMaker.key(channel: job.channelName, id: job.clip.id.lowercasedString).value : nil
            return ArchivedClip(range: range, file: file)
        } catch {
            logger.warning("clip lookup failed: \(error)", metadata: ["clip": "\(id)"])
            return nil
        }
    }
}

extension Date {
    var unixMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}

extension UUID {
    /// As the API writes it.
    var lowercasedString: String { uuidString.lowercased() }
}
