import Control
import Delivery
import Foundation
import Ingest
import Logging
import NIOConcurrencyHelpers
import Transcoder

/// Publishing rights: the configured `--channel NAME:KEY` pairs first, then the stream keys of
/// the control plane, then the admission hook if one is set. A control-plane channel is set up
/// (packager, transcoder) on its first publish, so a channel created through the API can publish
/// at once. A control-plane grant names its key, so ``ControlPlaneSync`` can end the publish
/// when the key is revoked.
final class ServerAuthorizer: PublishAuthorizer {
    private let configured: [String: String]
    private let runtime: ChannelRuntime
    private let logger: Logger
    let store = NIOLockedValueBox<ControlStore?>(nil)
    /// Sends the control plane's webhooks, once the server runs.
    let webhooks = NIOLockedValueBox<WebhookSender?>(nil)
    /// Asked last, when configured.
    let admission = NIOLockedValueBox<AdmissionHook?>(nil)
    /// The open session recording of each archived control-plane channel that publishes.
    private let sessionRecordings = NIOLockedValueBox<[UUID: UUID]>([:])

    init(channels: [ServerConfiguration.Channel], runtime: ChannelRuntime, logger: Logger) {
        var map: [String: String] = [:]
        for channel in channels { map[channel.streamKey] = channel.name }
        self.configured = map
        self.runtime = runtime
        self.logger = logger
    }

    func authorize(_ request: PublishRequest) async -> PublishGrant? {
        if let name = configured[request.streamKey] {
            let admitted = await admits(request, channel: .init(id: nil, name: name), organisation: nil, key: nil)
            return admitted ? PublishGrant(channel: name) : nil
        }
        guard let store = store.withLockedValue({ $0 }) else { return nil }
        let right: PublishRight?
        do {
            right = try await store.publishRight(forStreamKey: request.streamKey)
        } catch {
            // Fail closed: a database that does not answer refuses the publish.
            logger.error("stream key lookup failed, publish refused: \(error)")
            return nil
        }
        guard let right else { return nil }
        let channel = right.channel
        guard !configured.values.contains(channel.name) else {
            logger.warning("publish refused: the control plane's channel has the name of a configured channel", metadata: ["channel": "\(channel.name)"])
            return nil
        }
        guard await admits(
            request, channel: .init(id: channel.id, name: channel.name), organisation: channel.organisationID, key: right.keyID)
        else { return nil }
        var running = ServerConfiguration.Channel(
            name: channel.name,
            // The key is only needed for configured channels; control-plane keys live hashed in the store.
            streamKey: "",
            ladder: Self.ladder(channel.ladder, channel: channel.name, logger: logger),
            overlays: Overlays(),
            visibility: ChannelVisibility(channel.visibility)
        )
        running.archived = channel.archive.enabled
        let isNew = runtime.ensure(running, controlID: channel.id) { [weak self] failure in
            self?.transcoderFailed(failure, channel: channel)
        }
        if isNew {
            // Subscribed here, before the publisher takes the channel, so its start is seen.
            let watcher = StreamEventWatcher(
                channel: channel, hubChannel: runtime.hubChannel(named: channel.name), health: runtime.channelHealth
            ) { [weak self] event, channel, detail in
                await self?.record(event, channel: channel)
                await self?.emit(event, channel: channel, detail: detail)
            }
            runtime.attach(to: channel.name) { await watcher.run() }
        }
        return PublishGrant(channel: channel.name, credential: right.keyID.uuidString)
    }

    private func admits(
        _ request: PublishRequest, channel: AdmissionRequest.ChannelReference, organisation: UUID?, key: UUID?
    ) async -> Bool {
        guard let hook = admission.withLockedValue({ $0 }) else { return true }
        return await hook.admits(AdmissionRequest(
            channel: channel, organisationId: organisation, streamKeyId: key,
            remoteAddress: request.remoteAddress, protocol: "rtmp", createdAt: Date()))
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

    /// A publish session of an archived channel is a recording: opened when the stream starts,
    /// closed when it stops. One a crash left open is closed first.
    func record(_ event: WebhookEvent, channel: Control.Channel) async {
        guard channel.archive.enabled, let store = store.withLockedValue({ $0 }) else { return }
        do {
            switch event {
            case .streamStarted:
                try await store.finishOpenSessionRecordings(channelID: channel.id)
                let formatter = ISO8601DateFormatter()
                let now = Date()
                let recording = try await store.startSessionRecording(
                    channelID: channel.id, title: "\(channel.name) \(formatter.string(from: now))", at: now)
                sessionRecordings.withLockedValue { $0[channel.id] = recording.id }
            case .streamStopped:
                guard let id = sessionRecordings.withLockedValue({ $0.removeValue(forKey: channel.id) }) else { return }
                try await store.finishSessionRecording(id: id)
            default:
                return
            }
        } catch {
            logger.error("session recording not kept: \(error)", metadata: ["channel": "\(channel.name)", "event": "\(event.rawValue)"])
        }
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
