/// `ChannelSlate`, in responses and requests (a request replaces the whole object; null removes it).
struct SlateJSON: Codable {
    static let schema = APISchema("Slate", .representation(
        "What the channel plays while no encoder is live, in every rendition; null: it ends instead. An encoder that publishes takes over at its first key frame.",
        nullable: true,
        [
            "source": sourceProperty,
            "path": .text(
                "The image or video: a path inside the server's media directory (--media-dir), or an absolute path the configuration file gives. Null for a card.",
                nullable: true),
            "timeoutSeconds": .integer(
                "It stops, and the channel ends, after this long without an encoder; null: it plays for as long as none is live.",
                in: ControlLimits.slateTimeoutSeconds, nullable: true),
        ]
    ))

    /// As a client sends it.
    static let inputSchema = APISchema("SlateInput", .body(
        "A slate; replaces the channel's whole slate. Applies at once to a live channel.",
        required: ["source"],
        [
            "source": sourceProperty,
            "path": .text(
                "Required for an image or a video: a readable file inside the server's media directory (--media-dir), relative, without '..'.",
                length: ControlLimits.schedulePathLength),
            "timeoutSeconds": .integer(
                "Seconds without an encoder after which it stops and the channel ends; absent or null: never.",
                in: ControlLimits.slateTimeoutSeconds, nullable: true),
        ]
    ))

    /// A slate in a request: the input schema, or null to remove it.
    static let nullableInput: OpenAPIValue = ["anyOf": .array([inputSchema.reference, ["type": "null"]])]

    static let sourceProperty = OpenAPIValue.choice(
        ChannelSlate.Source.self, "card: a generated \"We’ll be right back\" card with the channel's name; image: a still image; video: a video file, looped.")

    let slate: ChannelSlate

    init(_ slate: ChannelSlate) {
        self.slate = slate
    }

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.inputSchema)
        guard let source = try object.choice(ChannelSlate.Source.self, "source") else {
            throw APIError.invalid(field: object.path("source"), reason: "required")
        }
        slate = ChannelSlate(
            source: source, path: try object.optional(String.self, "path"),
            timeoutSeconds: try object.nullable(Int.self, "timeoutSeconds") ?? nil)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: BodyKey.self)
        try container.encode(slate.source.rawValue, forKey: BodyKey("source"))
        try container.encode(Nullable(slate.path), forKey: BodyKey("path"))
        try container.encode(Nullable(slate.timeoutSeconds), forKey: BodyKey("timeoutSeconds"))
    }
}
