/// `Recording` in responses.
struct RecordingJSON: APIRepresentation {
    static let schema = APISchema("Recording", .representation(
        "A named time range of a channel's archive, served as VOD at playbackPath.",
        [
            "id": APIProperty.id, "channelId": APIProperty.id, "title": .text(), "startsAt": APIProperty.time,
            "endsAt": APIProperty.timestamp(
                "null while a session recording is still being recorded; not earlier than startsAt.", nullable: true
            ),
            "origin": originSchema.reference,
            "eventId": .text(
                "The event of an event recording; null otherwise, and once the event is deleted (the recording stays).",
                format: "uuid", nullable: true
            ),
            "retain": .boolean("A retained recording keeps its range of the archive past the channel's retention."),
            "playbackPath": .text("The replay's multivariant playlist on the delivery server: /vod/{id}/master.m3u8."),
            "createdAt": APIProperty.time,
        ]
    ))

    static let originSchema = APISchema("RecordingOrigin", .choice(
        RecordingOrigin.self,
        "session: made by the server for one publish session; event: made with an event and moved with it; api: made through this API."
    ))

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
struct CreateRecordingBody: APIRequestBody {
    static let schema = APISchema("RecordingCreate", .body("A new recording (origin api).", required: ["title", "startsAt", "endsAt"], [
        "title": APIProperty.title(ControlLimits.recordingTitleLength), "startsAt": APIProperty.dateTimeInput,
        "endsAt": APIProperty.endsAt,
        "retain": .boolean("Keep this range of the archive past the channel's retention.", default: true),
    ]))

    let recording: NewRecording

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
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
struct UpdateRecordingBody: APIRequestBody {
    static let schema = APISchema("RecordingUpdate", .body(
        "Absent fields stay as they are. startsAt and endsAt only for a recording of origin api; the resulting times must still satisfy endsAt > startsAt, at most \(ControlLimits.recordingMaximumDurationSeconds / 86_400) days apart.",
        required: [],
        [
            "title": APIProperty.title(ControlLimits.recordingTitleLength), "retain": .boolean(),
            "startsAt": APIProperty.dateTimeInput, "endsAt": APIProperty.dateTimeInput,
        ]
    ))

    let update: RecordingUpdate

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
        update = RecordingUpdate(
            title: try object.optional(String.self, "title"),
            retain: try object.optional(Bool.self, "retain"),
            startsAt: try object.date("startsAt"),
            endsAt: try object.date("endsAt")
        )
    }
}
