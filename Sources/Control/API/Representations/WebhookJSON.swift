import Foundation

/// `Webhook` in responses. The signing secret is not part of it: it is only in
/// ``CreatedWebhookJSON``.
struct WebhookJSON: APIRepresentation {
    static let schema = APISchema("Webhook", .representation("A URL that receives signed POSTs for the events it subscribes to.", [
        "id": APIProperty.id, "organisationId": APIProperty.id, "url": .text(format: "uri"),
        "events": .array(of: eventSchema.reference, "Sorted.", minItems: 1, uniqueItems: true),
        "active": .boolean("An inactive webhook gets no new deliveries, and its pending ones wait."),
        "createdAt": APIProperty.time,
    ]))

    static let eventSchema = APISchema("WebhookEventName", .choice(WebhookEvent.self))

    /// The `events` a client sends.
    static let eventsInput = OpenAPIValue.array(
        of: eventSchema.reference, "Replaces the subscribed events; duplicates are merged.", minItems: 1
    )

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
struct CreatedWebhookJSON: APIRepresentation {
    static let schema = WebhookJSON.schema.extended(
        as: "CreatedWebhook", "A webhook just created: the fields of Webhook, and its signing secret.",
        ["secret": .text("The HMAC-SHA256 signing secret (whsec_...). Shown only in this answer.")]
    )

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
struct CreateWebhookBody: APIRequestBody {
    static let schema = APISchema("WebhookCreate", .body("A new webhook.", required: ["url", "events"], [
        "organisationId": APIProperty.owningOrganisation, "url": APIProperty.url(), "events": WebhookJSON.eventsInput,
        "active": .boolean(default: true),
    ]))

    let organisationID: UUID?
    let webhook: NewWebhook

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
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
struct UpdateWebhookBody: APIRequestBody {
    static let schema = APISchema("WebhookUpdate", .body("Absent fields stay as they are; events is replaced whole.", required: [], [
        "url": APIProperty.url(), "events": WebhookJSON.eventsInput, "active": .boolean(),
    ]))

    let update: WebhookUpdate

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
        update = WebhookUpdate(
            url: try object.optional(String.self, "url"),
            events: try decodeEvents(object),
            active: try object.optional(Bool.self, "active")
        )
    }
}
