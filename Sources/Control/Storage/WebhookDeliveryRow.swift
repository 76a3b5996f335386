import FluentKit
import Foundation

/// The `webhook_deliveries` table: the outbox. `organisation_id` repeats the webhook's owner so
/// scoped queries need no join.
final class WebhookDeliveryRow: Model, @unchecked Sendable {
    static let schema = "webhook_deliveries"

    @ID(key: .id) var id: UUID?
    @Field(key: "webhook_id") var webhookID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "event") var event: String
    @Field(key: "payload") var payload: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "delivered_at") var deliveredAt: Date?
    @OptionalField(key: "gave_up_at") var gaveUpAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(id: UUID, webhookID: UUID, organisationID: UUID, event: WebhookEvent, payload: String, now: Date) {
        self.id = id
        self.webhookID = webhookID
        self.organisationID = organisationID
        self.event = event.rawValue
        self.payload = payload
        self.attempts = 0
        self.nextAttemptAt = now.millisecondRounded
        self.lastError = nil
        self.deliveredAt = nil
        self.gaveUpAt = nil
        self.createdAt = now.millisecondRounded
    }

    func record() throws(ControlError) -> WebhookDelivery {
        guard let event = WebhookEvent(rawValue: event) else {
            throw .database("\(Self.schema): unknown event \(event)")
        }
        return WebhookDelivery(
            id: try requireRowID(id, Self.schema), webhookID: webhookID, event: event, payload: payload,
            attempts: attempts, nextAttemptAt: nextAttemptAt.millisecondRounded, lastError: lastError,
            deliveredAt: deliveredAt?.millisecondRounded, gaveUpAt: gaveUpAt?.millisecondRounded,
            createdAt: createdAt.millisecondRounded
        )
    }
}
