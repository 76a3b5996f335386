import Control
import Foundation

/// The JSON body of a webhook delivery:
///
/// ```json
/// {"channel":{"id":"…","name":"match1"},"createdAt":"2026-05-01T18:00:00.123Z",
///  "id":"…","organisationId":"…","type":"stream.started"}
/// ```
///
/// `channel.unhealthy` and `transcoder.failed` add a `detail` object (``EventDetail``); `stream.*`
/// events have none.
///
/// `id` names the event; it is the same for every webhook that receives it and for every retry,
/// so receivers can drop duplicates (delivery is at least once). `Antenne-Delivery` names one
/// delivery to one webhook.
public struct StreamEventPayload: Encodable {
    struct ChannelReference: Encodable {
        let id: UUID
        let name: String
    }

    let id: UUID
    let type: String
    let createdAt: Date
    let channel: ChannelReference
    let organisationId: UUID
    /// Left out of the JSON when nil.
    let detail: EventDetail?

    public init(id: UUID = UUID(), event: WebhookEvent, channel: Control.Channel, at date: Date, detail: EventDetail? = nil) {
        self.id = id
        self.type = event.rawValue
        self.createdAt = date
        self.channel = ChannelReference(id: channel.id, name: channel.name)
        self.organisationId = channel.organisationID
        self.detail = detail
    }

    public func json() throws -> String {
        let encoder = JSONEncoder.events()
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
