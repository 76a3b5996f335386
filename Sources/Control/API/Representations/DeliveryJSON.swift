/// `WebhookDelivery` in responses: one attempt log entry of the outbox.
struct DeliveryJSON: APIRepresentation {
    static let schema = APISchema("Delivery", .representation("One event queued for one webhook, and how its delivery went.", [
        "id": APIProperty.id, "webhookId": APIProperty.id, "event": WebhookJSON.eventSchema.reference,
        "payload": .text("The JSON text POSTed to the receiver, byte for byte as signed."),
        "state": ["type": "string", "enum": .array([WebhookDelivery.State.pending, .delivered, .gaveUp].map { .string($0.rawValue) })],
        "attempts": .integer("Failed attempts so far.", minimum: 0),
        "nextAttemptAt": APIProperty.timestamp("When the next attempt is due; meaningless once delivered or given up."),
        "lastError": .text(nullable: true), "deliveredAt": APIProperty.timestamp(nullable: true),
        "gaveUpAt": APIProperty.timestamp(nullable: true), "createdAt": APIProperty.time,
    ]))

    let id: String
    let webhookId: String
    let event: String
    /// The JSON text POSTed to the receiver, byte for byte as signed.
    let payload: String
    let state: String
    /// Failed attempts so far.
    let attempts: Int
    let nextAttemptAt: String
    let lastError: Nullable<String>
    let deliveredAt: Nullable<String>
    let gaveUpAt: Nullable<String>
    let createdAt: String

    init(_ delivery: WebhookDelivery) {
        id = APIID.format(delivery.id)
        webhookId = APIID.format(delivery.webhookID)
        event = delivery.event.rawValue
        payload = delivery.payload
        state = delivery.state.rawValue
        attempts = delivery.attempts
        nextAttemptAt = APIDate.format(delivery.nextAttemptAt)
        lastError = Nullable(delivery.lastError)
        deliveredAt = Nullable(delivery.deliveredAt.map(APIDate.format))
        gaveUpAt = Nullable(delivery.gaveUpAt.map(APIDate.format))
        createdAt = APIDate.format(delivery.createdAt)
    }
}
