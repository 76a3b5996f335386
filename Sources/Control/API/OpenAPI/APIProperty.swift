/// Property schemas that several representations and bodies share, each written once.
enum APIProperty {
    /// Every id the server writes (``APIID``).
    static let id = OpenAPIValue.text("A lowercase UUID.", format: "uuid")

    /// A timestamp the server writes (``APIDate/format(_:)``).
    static func timestamp(_ description: String? = nil, nullable: Bool = false) -> OpenAPIValue {
        .text(description, format: "date-time", nullable: nullable)
    }

    /// The usual timestamp the server writes: `createdAt` and the like.
    static let time = timestamp("RFC 3339, UTC, with milliseconds: 2025-06-01T18:00:00.000Z.")

    /// A timestamp a client sends (``APIDate/parse(_:)``).
    static let dateTimeInput = timestamp("RFC 3339 date-time, with Z or a numeric offset, with or without fractional seconds.")

    /// The end of an event, or of a recording a client creates.
    static let endsAt = timestamp(
        "Later than startsAt, at most \(ControlLimits.eventMaximumDurationSeconds / 86_400) days after it."
    )

    /// `organisationId` in a body that creates: whose the new resource is.
    static let owningOrganisation = OpenAPIValue.text(
        "The owning organisation: required with the server admin token; an organisation's token may leave it out (its own), and naming another organisation is a 404.",
        format: "uuid"
    )

    static let channelName = OpenAPIValue.text(
        "Public: it is in playback URLs (/hls/{name}/master.m3u8). Unique across the server, ignoring case.",
        pattern: "^[A-Za-z0-9_-]{\(ControlLimits.channelNameLength.lowerBound),\(ControlLimits.channelNameLength.upperBound)}$",
        length: ControlLimits.channelNameLength
    )

    static func ladder(default value: String? = nil) -> OpenAPIValue {
        .text(
            "A ladder preset name (passthrough, mobile, conference...) or the JSON text of a custom ladder.",
            length: ControlLimits.ladderLength, default: value
        )
    }

    /// A stream key's or a token's name, for humans.
    static let label = OpenAPIValue.text("For humans; trimmed; no control characters.", length: ControlLimits.labelLength)

    /// A title or name a client sends, within `length`.
    static func title(_ length: ClosedRange<Int>, nullable: Bool = false) -> OpenAPIValue {
        .text("Trimmed; no control characters.", length: length, nullable: nullable)
    }

    /// A URL a client sends: a webhook target or a poster.
    static func url(_ description: String? = nil, nullable: Bool = false) -> OpenAPIValue {
        .text(
            description ?? "An absolute http or https URL with a host: a URI (RFC 3986), other characters percent-encoded.",
            format: "uri", length: ControlLimits.urlLength, nullable: nullable
        )
    }
}
