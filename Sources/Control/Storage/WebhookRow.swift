import FluentKit
import Foundation

/// The `webhooks` table. `events` is a comma-separated list of event names; `secret` is stored in
/// clear because signing needs it.
final class WebhookRow: Model, @unchecked Sendable {
    static let schema = "webhooks"

    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "url") var url: String
    @Field(key: "secret") var secret: String
    @Field(key: "events") var events: String
    @Field(key: "active") var active: Bool
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(id: UUID, organisationID: UUID, webhook: NewWebhook, secret: Secret, createdAt: Date) {
        self.id = id
        self.organisationID = organisationID
        self.url = webhook.url
        self.secret = secret.value
        self.events = WebhookRow.encode(webhook.events)
        self.active = webhook.active
        self.createdAt = createdAt
    }

    static func encode(_ events: Set<WebhookEvent>) -> String {
        events.sorted().map(\.rawValue).joined(separator: ",")
    }

    func decodedEvents() throws(ControlError) -> Set<WebhookEvent> {
        var result = Set<WebhookEvent>()
        for name in events.split(separator: ",") {
            guard let event = WebhookEvent(rawValue: String(name)) else {
                throw .database("\(Self.schema): unknown event \(name)")
            }
            result.insert(event)
        }
        return result
    }

    func record() throws(ControlError) -> Webhook {
        Webhook(
            id: try requireRowID(id, Self.schema), organisationID: organisationID, url: url,
            events: try decodedEvents(), active: active, createdAt: createdAt.millisecondRounded
        )
    }
}
