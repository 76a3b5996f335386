/// `Event` in responses.
struct EventJSON: Encodable {
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
struct CreateEventBody: Decodable {
    let event: NewEvent

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, fields: ["title", "startsAt", "endsAt", "posterUrl"])
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
struct UpdateEventBody: Decodable {
    let update: EventUpdate

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, fields: ["title", "startsAt", "endsAt", "posterUrl"])
        update = EventUpdate(
            title: try object.optional(String.self, "title"),
            startsAt: try object.date("startsAt"),
            endsAt: try object.date("endsAt"),
            posterURL: try object.nullable(String.self, "posterUrl")
        )
    }
}
