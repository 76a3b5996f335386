/// `Clip` in responses.
struct ClipJSON: Encodable {
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
struct CreateClipBody: Decodable {
    let clip: NewClip

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, fields: ["start", "recording", "offset", "duration", "rendition", "title"])
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
