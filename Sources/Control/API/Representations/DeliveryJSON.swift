/// `WebhookDelivery` in responses: one attempt log entry of the outbox.
struct DeliveryJSON: Encodable {
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
