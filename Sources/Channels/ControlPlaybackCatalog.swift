import Archive
import Control
import Delivery
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Playback's questions about what is not running, answered from the control plane's store: offline
/// channels (catch-up after a restart), recordings (`vod/{id}`) and clips (`clips/{id}`).
public struct ControlPlaybackCatalog: PlaybackCatalog {
    let store: ControlStore
    let logger: Logger
    /// Offline channels' visibility (nil: no such channel) and when it was read: a player of a
    /// catch-up asks for a segment every few seconds, and each would otherwise be a query.
    private let visibilities = NIOLockedValueBox<[String: (visibility: ChannelVisibility?, readAt: ContinuousClock.Instant)]>([:])

    /// How long a looked-up visibility is reused: a change through the API applies within it.
    static let visibilityLifetime: Duration = .seconds(2)
    /// Channels remembered at most; past that the memory starts again.
    static let rememberedChannels = 10_000

    public init(store: ControlStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func offlineChannel(named name: String) async -> ChannelVisibility? {
        let now = ContinuousClock.now
        if let known = visibilities.withLockedValue({ $0[name] }), now - known.readAt < Self.visibilityLifetime {
            return known.visibility
        }
        let visibility: ChannelVisibility?
        do {
            visibility = try await store.channel(named: name).map { ChannelVisibility($0.visibility) }
        } catch {
            logger.warning("channel lookup for archive playback failed: \(error)", metadata: ["channel": "\(name)"])
            return nil
        }
        visibilities.withLockedValue { cache in
            if cache.count >= Self.rememberedChannels { cache.removeAll() }
            cache[name] = (visibility, now)
        }
        return visibility
    }

    public func recording(id: String) async -> ArchivedRange? {
        guard let uuid = UUID(uuidString: id) else { return nil }
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

    public func clip(id: String) async -> ArchivedClip? {
        guard let uuid = UUID(uuidString: id) else { return nil }
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

extension UUID {
    /// As the API writes it.
    var lowercasedString: String { uuidString.lowercased() }
}
