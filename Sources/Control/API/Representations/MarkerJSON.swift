import Foundation

/// `MarkerCreate`: the body of `POST channels/{id}/markers`.
struct CreateMarkerBody: APIRequestBody {
    static let schema = APISchema("MarkerCreate", OpenAPIValue.body(
        "An ad break or a programme on a live channel: now (neither start nor mediaTime), at a date-time, or at a presentation time of the encoder's stream. It starts a segment at the first key frame at or after that time and lasts duration seconds.",
        required: ["kind", "duration"],
        [
            "kind": .choice(MarkerRequest.Kind.self, "adBreak: an SCTE-35 splice_insert out of the network and back; programme: a time_signal with a Program Start segmentation descriptor."),
            "duration": .number(
                "Seconds, kept to the millisecond.", minimum: ControlLimits.markerDurationSeconds.lowerBound,
                maximum: ControlLimits.markerDurationSeconds.upperBound
            ),
            "id": .text(
                "The EXT-X-DATERANGE ID; a UUID when absent.", pattern: "^[A-Za-z0-9._:-]+$", length: ControlLimits.markerIDLength
            ),
            "start": APIProperty.timestamp("When it starts (the playlists' EXT-X-PROGRAM-DATE-TIME clock); absent: now."),
            "mediaTime": .number("When it starts, in seconds of the encoder's timeline (its RTMP timestamps); not with start.", minimum: 0),
        ]
    ))

    static let idCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-".utf8)

    let marker: MarkerRequest

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
        let kind = try object.choice(MarkerRequest.Kind.self, "kind")
        guard let kind else { throw APIError.invalid(field: object.path("kind"), reason: "required") }
        let duration = try object.required(Double.self, "duration")
        guard ControlLimits.markerDurationSeconds.contains(duration) else {
            throw APIError.invalid(
                field: object.path("duration"),
                reason: "must be \(ControlLimits.markerDurationSeconds.lowerBound) to \(ControlLimits.markerDurationSeconds.upperBound) seconds")
        }
        let id = try object.optional(String.self, "id")
        if let id {
            guard ControlLimits.markerIDLength.contains(id.utf8.count), id.utf8.allSatisfy(Self.idCharacters.contains) else {
                throw APIError.invalid(
                    field: object.path("id"),
                    reason: "1 to \(ControlLimits.markerIDLength.upperBound) characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'")
            }
        }
        let start: MarkerRequest.Start
        let date = try object.date("start")
        let mediaTime = try object.optional(Double.self, "mediaTime")
        switch (date, mediaTime) {
        case (nil, nil):
            start = .now
        case (let date?, nil):
            start = .date(Int64((date.timeIntervalSince1970 * 1_000).rounded()))
        case (nil, let seconds?):
            // Up to 2^33 / 90 kHz: a presentation time SCTE-35 can carry.
            guard seconds.isFinite, seconds >= 0, seconds < 95_443 else {
                throw APIError.invalid(field: object.path("mediaTime"), reason: "must be 0 to 95443 seconds")
            }
            start = .mediaTime(Int64((seconds * 1_000).rounded()))
        case (_?, _?):
            throw APIError.invalid(field: object.path("mediaTime"), reason: "give start or mediaTime, not both")
        }
        marker = MarkerRequest(
            id: id ?? UUID().uuidString.lowercased(), kind: kind, start: start,
            durationMilliseconds: Int64((duration * 1_000).rounded()))
    }
}

/// `Marker` in responses: the marker as queued.
struct MarkerJSON: APIRepresentation {
    static let schema = APISchema("Marker", .representation(
        "A marker queued for the channel's packager: it appears in the playlists (EXT-X-DATERANGE) and the MPD (EventStream), and a channel.marker webhook is sent, once the segment it starts is cut.",
        [
            "id": .text("The EXT-X-DATERANGE ID."),
            "kind": .choice(MarkerRequest.Kind.self),
            "duration": .number("Seconds.", minimum: 0),
            "start": APIProperty.timestamp("The date-time asked for; null for now or a media time.", nullable: true),
            "mediaTime": .number("The media time asked for, in seconds; null for now or a date-time.", minimum: 0, nullable: true),
        ]
    ))

    let id: String
    let kind: String
    let duration: Double
    let start: Nullable<String>
    let mediaTime: Nullable<Double>

    init(_ marker: MarkerRequest) {
        id = marker.id
        kind = marker.kind.rawValue
        duration = Double(marker.durationMilliseconds) / 1_000
        switch marker.start {
        case .now:
            start = Nullable(nil)
            mediaTime = Nullable(nil)
        case .date(let milliseconds):
            start = Nullable(APIDate.format(Date(timeIntervalSince1970: Double(milliseconds) / 1_000)))
            mediaTime = Nullable(nil)
        case .mediaTime(let milliseconds):
            start = Nullable(nil)
            mediaTime = Nullable(Double(milliseconds) / 1_000)
        }
    }
}
