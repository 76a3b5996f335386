import Control
import Foundation
import Ingest
import Logging
import NIOConcurrencyHelpers
import Transcoder

/// Publishing rights: the configured `--channel NAME:KEY` pairs first, then the stream keys of
/// the control plane. A control-plane channel is set up (packager, transcoder) on its first
/// publish, so a channel created through the API can publish at once.
final class ServerAuthorizer: PublishAuthorizer {
    private let configured: [String: String]
    private let runtime: ChannelRuntime
    private let logger: Logger
    let store = NIOLockedValueBox<ControlStore?>(nil)
    /// Sends the control plane's webhooks, once the server runs.
    let webhooks = NIOLockedValueBox<WebhookSender?>(nil)

    init(channels: [ServerConfiguration.Channel], runtime: ChannelRuntime, logger: Logger) {
        var map: [String: String] = [:]
        for channel in channels { map[channel.streamKey] = channel.name }
        self.configured = map
        self.runtime = runtime
        self.logger = logger
    }

    func channelName(forStreamKey key: String) async -> String? {
        if let name = configured[key] { return name }
        guard let store = store.withLockedValue({ $0 }) else { return nil }
        let channel: Control.Channel?
        do {
            channel = try await store.channel(forStreamKey: key)
        } catch {
            // Fail closed: a database that does not answer refuses the publish.
            logger.error("stream key lookup failed, publish refused: \(error)")
            return nil
        }
        guard let channel else { return nil }
        let isNew = runtime.ensure(ServerConfiguration.Channel(
            name: channel.name,
            // The key is only needed for configured channels; control-plane keys live hashed in the store.
            streamKey: "",
            ladder: Self.ladder(channel.ladder, channel: channel.name, logger: logger),
            overlays: Overlays(),
            visibility: channel.visibility == .token ? .token : .public
        )) { [weak self] failure in
            self?.transcoderFailed(failure, channel: channel)
        }
        if isNew {
            // Subscribed here, before the publisher takes the channel, so its start is seen.
            let watcher = StreamEventWatcher(
                channel: channel, hubChannel: runtime.hubChannel(named: channel.name), health: runtime.channelHealth
            ) { [weak self] event, channel, detail in await self?.emit(event, channel: channel, detail: detail) }
            runtime.spawn { await watcher.run() }
        }
        return channel.name
    }

    /// Queues a webhook event for the channel's organisation.
    func emit(_ event: WebhookEvent, channel: Control.Channel, detail: EventDetail? = nil) async {
        guard let sender = webhooks.withLockedValue({ $0 }) else { return }
        let payload: String
        do {
            payload = try StreamEventPayload(event: event, channel: channel, at: Date(), detail: detail).json()
        } catch {
            logger.error("webhook payload not encoded", metadata: ["event": "\(event.rawValue)", "error": "\(error)"])
            return
        }
        await sender.enqueue(event, organisation: channel.organisationID, payload: payload)
    }

    /// A channel's ladder as stored: a preset name or a ladder's JSON. Anything else is served
    /// as passthrough, with one log line.
    static func ladder(_ text: String, channel: String, logger: Logger) -> Ladder {
        if let preset = LadderPreset(rawValue: text) { return preset.ladder }
        do {
            let ladder = try JSONDecoder().decode(Ladder.self, from: Data(text.utf8))
            try ladder.validate()
            return ladder
        } catch {
            logger.warning("channel \(channel): its ladder is not usable (\(error)); serving passthrough")
            return LadderPreset.passthrough.ladder
        }
    }
}
