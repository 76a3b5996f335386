import Foundation

/// `Webhook` in responses. The signing secret is not part of it: it is only in
/// ``CreatedWebhookJSON``.
struct WebhookJSON: Encodable {
    let id: String
    let organisationId: String
    let url: String
    /// Sorted, so the same webhook always reads the same.
    let events: [String]
    let active: Bool
    let createdAt: String

    init(_ webhook: Webhook) {
        id = APIID.format(webhook.id)
        organisationId = APIID.format(webhook.organisationID)
        url = webhook.url
        events = webhook.events.sorted().map(\.rawValue)
        active = webhook.active
        createdAt = APIDate.format(webhook.createdAt)
    }
}

/// The answer to creating a webhook: the webhook and, this once, its signing secret.
struct CreatedWebhookJSON: Encodable {
    let webhook: WebhookJSON
    let secret: String

    init(_ created: CreatedWebhook) {
        webhook = WebhookJSON(created.webhook)
        secret = created.secret.value
    }

    func encode(to encoder: any Encoder) throws {
        try webhook.encode(to: encoder)
        var container = encoder.container(keyedBy: BodyKey.self)
        try container.encode(secret, forKey: BodyKey("secret"))
    }
}

/// The `events` field: a non-empty array of event names, without duplicates.
private func decodeEvents(_ object: BodyObject) throws -> Set<WebhookEvent>? {
    guard let names = try object.optional([String].self, "events") else { return nil }
    var events = Set<WebhookEvent>()
    for (index, name) in names.enumerated() {
        guard let event = WebhookEvent(rawValue: name) else {
            throw APIError.invalid(
                field: "\(object.path("events"))[\(index)]",
                reason: "must be one of: \(WebhookEvent.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        events.insert(event)
    }
    return events
}

/// `POST /webhooks`. `organisationId` is for the server admin token, as for channels.
struct CreateWebhookBody: Decodable {
    let organisationID: UUID?
    let webhook: NewWebhook

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, fields: ["organisationId", "url", "events", "active"])
        organisationID = try object.uuid("organisationId")
        guard let events = try decodeEvents(object) else {
            throw APIError.invalid(field: object.path("events"), reason: "required")
        }
        webhook = NewWebhook(
            url: try object.required(String.self, "url"),
            events: events,
            active: try object.optional(Bool.self, "active") ?? true
        )
    }
}

/// `PATCH /webhooks/{id}`: absent fields stay as they are; `events` is replaced whole.
struct UpdateWebhookBody: Decodable {
    let update: WebhookUpdate

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, fields: ["url", "events", "active"])
        update = WebhookUpdate(
            url: try object.optional(String.self, "url"),
            events: try decodeEvents(object),
            active: try object.optional(Bool.self, "active")
        )
    }
}
