import Control
import Foundation
import Logging
import NIOConcurrencyHelpers
import Transcoder

/// What a channel's life tells the control plane: its webhooks (queued for the channel's
/// organisation) and, for an archived channel, its session recordings.
public final class ChannelEvents: Sendable {
    private let store: ControlStore
    private let webhooks: WebhookSender
    private let logger: Logger
    /// The open session recording of each archived channel that publishes.
    private let sessionRecordings = NIOLockedValueBox<[UUID: UUID]>([:])

    public init(store: ControlStore, webhooks: WebhookSender, logger: Logger) {
        self.store = store
        self.webhooks = webhooks
        self.logger = logger
    }

    /// A stream event: recorded, then sent.
    public func streamEvent(_ event: WebhookEvent, channel: Control.Channel, detail: EventDetail?) async {
        await record(event, channel: channel)
        await emit(event, channel: channel, detail: detail)
    }

    /// Queues a webhook event for the channel's organisation.
    public func emit(_ event: WebhookEvent, channel: Control.Channel, detail: EventDetail? = nil) async {
        let payload: String
        do {
            payload = try StreamEventPayload(event: event, channel: channel, at: Date(), detail: detail).json()
        } catch {
            logger.error("webhook payload not encoded", metadata: ["event": "\(event.rawValue)", "error": "\(error)"])
            return
        }
        await webhooks.enqueue(event, organisation: channel.organisationID, payload: payload)
    }

    /// A channel's FFmpeg failed: queues `transcoder.failed`, throttled
    /// (``TranscoderFailureDetail/isSent(restartAttempt:)``). Called on the transcoder's loop, so
    /// the event is queued from a task of its own.
    public func transcoderFailed(_ failure: TranscoderFailure, channel: Control.Channel) {
        guard TranscoderFailureDetail.isSent(restartAttempt: failure.restartAttempt) else { return }
        let detail = EventDetail.transcoderFailure(TranscoderFailureDetail(failure))
        Task { await emit(.transcoderFailed, channel: channel, detail: detail) }
    }

    /// A marker started on the channel (its segment was cut): queues `channel.marker`. Called on
    /// the packaging path, so the event is queued from a task of its own.
    public func markerStarted(_ detail: MarkerDetail, channel: Control.Channel) {
        Task { await emit(.channelMarker, channel: channel, detail: .marker(detail)) }
    }

    /// A publish session of an archived channel is a recording: opened when the stream starts,
    /// closed when it stops. One a crash left open is closed first.
    private func record(_ event: WebhookEvent, channel: Control.Channel) async {
        guard channel.archive.enabled else { return }
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
}
