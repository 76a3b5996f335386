/// `Recording` in responses.
struct RecordingJSON: Encodable {
    let id: String
    let channelId: String
    let title: String
    let startsAt: String
    let endsAt: Nullable<String>
    let origin: String
    let eventId: Nullable<String>
    let retain: Bool
    let playbackPath: String
    let createdAt: String

    init(_ recording: Recording) {
        id = APIID.format(recording.id)
        channelId = APIID.format(recording.channelID)
        title = recording.title
        startsAt = APIDate.format(recording.startsAt)
        endsAt = Nullable(recording.endsAt.map(APIDate.format))
        origin = recording.origin.rawValue
        eventId = Nullable(recording.eventID.map(APIID.format))
        retain = recording.retain
        playbackPath = recording.playbackPath
        createdAt = APIDate.format(recording.createdAt)
    }
}

/// `POST /channels/{id}/recordings`.
struct CreateRecordingBody: Decodable {
    let recording: NewRecording

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, fields: ["title", "startsAt", "endsAt", "retain"])
        let title = try object.required(String.self, "title")
        guard let startsAt = try object.date("startsAt") else {
            throw APIError.invalid(field: object.path("startsAt"), reason: "required")
        }
        guard let endsAt = try object.date("endsAt") else {
            throw APIError.invalid(field: object.path("endsAt"), reason: "required")
        }
        recording = NewRecording(
            title: title, startsAt: startsAt, endsAt: endsAt, retain: try object.optional(Bool.self, "retain") ?? true
        )
    }
}

/// `PATCH /recordings/{id}`: absent fields stay as they are.
struct UpdateRecordingBody: Decodable {
    let update: RecordingUpdate

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, fields: ["title", "retain", "startsAt", "endsAt"])
        update = RecordingUpdate(
            title: try object.optional(String.self, "title"),
            retain: try object.optional(Bool.self, "retain"),
            startsAt: try object.date("startsAt"),
            endsAt: try object.date("endsAt")
        )
    }
}
