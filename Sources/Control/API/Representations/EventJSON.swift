/// `Event` in responses.
struct EventJSON: APIRepresentation {
    static let schema = APISchema("Event", .representation("A scheduled programme on a channel.", [
        "id": APIProperty.id, "channelId": APIProperty.id, "title": .text(), "startsAt": APIProperty.time,
        "endsAt": APIProperty.endsAt, "posterUrl": .text(format: "uri", nullable: true), "createdAt": APIProperty.time,
    ]))

    let id: String
    let channelId: String
    let title: String
    let startsAt: String
    let endsAt: String
    let posterUrl: Nullable<String>
    let createdAt: String

    init(_ event: Event) {
        id = APIID.format(event.id)
        channelId = APIID.format(event.channelID)
        title = event.title
        startsAt = APIDate.format(event.startsAt)
        endsAt = APIDate.format(event.endsAt)
        posterUrl = Nullable(event.posterURL)
        createdAt = APIDate.format(event.createdAt)
    }
}

/// `POST /channels/{id}/events`.
struct CreateEventBody: APIRequestBody {
    static let schema = APISchema("EventCreate", .body("A new event.", required: ["title", "startsAt", "endsAt"], [
        "title": APIProperty.title(ControlLimits.eventTitleLength), "startsAt": APIProperty.dateTimeInput,
        "endsAt": APIProperty.endsAt, "posterUrl": APIProperty.url(nullable: true),
    ]))

    let event: NewEvent

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
        let title = try object.required(String.self, "title")
        guard let startsAt = try object.date("startsAt") else {
            throw APIError.invalid(field: object.path("startsAt"), reason: "required")
        }
        guard let endsAt = try object.date("endsAt") else {
            throw APIError.invalid(field: object.path("endsAt"), reason: "required")
        }
        event = NewEvent(title: title, startsAt: startsAt, endsAt: endsAt, posterURL: try object.nullable(String.self, "posterUrl") ?? nil)
    }
}

/// `PATCH /events/{id}`: absent fields stay as they are; `"posterUrl": null` removes the poster.
struct UpdateEventBody: APIRequestBody {
    static let schema = APISchema("EventUpdate", .body(
        "Absent fields stay as they are; the resulting times must still satisfy endsAt > startsAt.", required: [],
        [
            "title": APIProperty.title(ControlLimits.eventTitleLength), "startsAt": APIProperty.dateTimeInput,
            "endsAt": APIProperty.dateTimeInput, "posterUrl": APIProperty.url("A URL, or null to remove the poster.", nullable: true),
        ]
    ))

    let update: EventUpdate

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
        update = EventUpdate(
            title: try object.optional(String.self, "title"),
            startsAt: try object.date("startsAt"),
            endsAt: try object.date("endsAt"),
            posterURL: try object.nullable(String.self, "posterUrl")
        )
    }
}
