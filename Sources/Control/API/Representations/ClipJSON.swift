/// `Clip` in responses.
struct ClipJSON: APIRepresentation {
    static let schema = APISchema("Clip", .representation("An MP4 cut from a channel's archive.", [
        "id": APIProperty.id, "channelId": APIProperty.id,
        "recordingId": .text(
            "The recording it was cut from, when asked for by recording; null otherwise, and once that recording is deleted.",
            format: "uuid", nullable: true
        ),
        "title": .text(nullable: true), "start": APIProperty.time, "end": APIProperty.timestamp("start + duration."),
        "duration": .number(
            "Seconds, to the millisecond.", minimum: ControlLimits.clipDurationSeconds.lowerBound,
            maximum: ControlLimits.clipDurationSeconds.upperBound
        ),
        "rendition": .text("The rendition cut; null for the channel's best video rendition.", nullable: true),
        "status": statusSchema.reference, "progress": .number(minimum: 0, maximum: 1),
        "size": .integer("Bytes of the MP4, once ready.", format: "int64", minimum: 0, nullable: true),
        "error": .text("Why it failed, once failed.", nullable: true),
        "downloadPath": .text("The MP4 on the delivery server, once ready: /clips/{id}.mp4."),
        "playlistPath": .text("The clip as HLS on the delivery server: /clips/{id}/master.m3u8."),
        "createdAt": APIProperty.time, "readyAt": APIProperty.timestamp("When it became ready.", nullable: true),
    ]))

    static let statusSchema = APISchema("ClipStatus", .choice(
        ClipStatus.self,
        "pending: waiting for a server; processing: being cut; ready: downloadPath serves the MP4; failed: error says why."
    ))

    let id: String
    let channelId: String
    let recordingId: Nullable<String>
    let title: Nullable<String>
    let start: String
    let end: String
    let duration: Double
    let rendition: Nullable<String>
    let status: String
    let progress: Double
    let size: Nullable<Int64>
    let error: Nullable<String>
    let downloadPath: String
    let playlistPath: String
    let createdAt: String
    let readyAt: Nullable<String>

    init(_ clip: Clip) {
        id = APIID.format(clip.id)
        channelId = APIID.format(clip.channelID)
        recordingId = Nullable(clip.recordingID.map(APIID.format))
        title = Nullable(clip.title)
        start = APIDate.format(clip.start)
        end = APIDate.format(clip.end)
        duration = clip.duration
        rendition = Nullable(clip.rendition)
        status = clip.status.rawValue
        progress = clip.progress
        size = Nullable(clip.size)
        error = Nullable(clip.error)
        downloadPath = clip.downloadPath
        playlistPath = clip.playlistPath
        createdAt = APIDate.format(clip.createdAt)
        readyAt = Nullable(clip.readyAt.map(APIDate.format))
    }
}

/// `POST /channels/{id}/clips`: `start`, or `recording` with an optional `offset` (0 when
/// absent), and `duration`.
struct CreateClipBody: APIRequestBody {
    static let schema = APISchema("ClipCreate", OpenAPIValue.body(
        "A clip to cut: start and duration, or recording (with offset) and duration. The clip must be over (start + duration not later than now) and, cut from a recording, lie within it.",
        required: ["duration"],
        [
            "start": APIProperty.timestamp(
                "The first instant of the clip: RFC 3339 date-time, with Z or a numeric offset, with or without fractional seconds."
            ),
            "recording": .text("A recording of the same channel; the clip starts offset seconds after its start.", format: "uuid"),
            "offset": .number("Seconds from the recording's start; only with recording.", minimum: 0, default: 0),
            "duration": .number(
                "Seconds, kept to the millisecond.", minimum: ControlLimits.clipDurationSeconds.lowerBound,
                maximum: ControlLimits.clipDurationSeconds.upperBound
            ),
            "rendition": .text(
                "A rendition of the channel's ladder; absent or null for the best video rendition.",
                pattern: "^[a-z0-9_-]{\(ControlLimits.renditionNameLength.lowerBound),\(ControlLimits.renditionNameLength.upperBound)}$",
                length: ControlLimits.renditionNameLength, nullable: true
            ),
            "title": APIProperty.title(ControlLimits.clipTitleLength, nullable: true),
        ]
    ).merging([
        // start, or recording (with offset): the checks of init(from:) below.
        .init(key: "oneOf", value: [
            ["required": ["start"], "not": ["anyOf": [["required": ["recording"]], ["required": ["offset"]]]]],
            ["required": ["recording"], "not": ["required": ["start"]]],
        ]),
    ]))

    let clip: NewClip

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
        let start = try object.date("start")
        let recording = try object.uuid("recording")
        let offset = try object.optional(Double.self, "offset")
        let source: NewClip.Start
        switch (start, recording) {
        case (let start?, nil):
            if offset != nil {
                throw APIError.invalid(field: object.path("offset"), reason: "only with recording")
            }
            source = .time(start)
        case (nil, let recording?):
            source = .recording(recording, offset: offset ?? 0)
        case (nil, nil):
            throw APIError.invalid(field: object.path("start"), reason: "required, unless recording is given")
        case (_?, _?):
            throw APIError.invalid(field: object.path("recording"), reason: "give start or recording, not both")
        }
        clip = NewClip(
            start: source,
            duration: try object.required(Double.self, "duration"),
            rendition: try object.nullable(String.self, "rendition") ?? nil,
            title: try object.nullable(String.self, "title") ?? nil
        )
    }
}
