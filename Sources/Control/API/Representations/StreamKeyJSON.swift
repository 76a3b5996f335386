/// `StreamKey` in responses. The clear key is not part of it: it is only in
/// ``CreatedStreamKeyJSON``.
struct StreamKeyJSON: APIRepresentation {
    static let schema = APISchema("StreamKey", .representation(
        "A key an encoder publishes a channel with (rtmp://HOST/live/{key}). The clear key is never shown again after creation.",
        [
            "id": APIProperty.id, "channelId": APIProperty.id, "label": .text(), "createdAt": APIProperty.time,
            "revokedAt": APIProperty.timestamp(
                "Set once revoked (or rotated); a revoked key is refused at the next publish.", nullable: true
            ),
            "role": roleSchema.reference,
        ]
    ))

    static let roleSchema = APISchema("StreamKeyRole", .choice(
        StreamKeyRole.self,
        "The channel's input the key publishes. primary: the channel follows it. backup: may publish at the same time; the channel switches to it when the primary sends no video (1 s by default) and back when the primary is steady again. slate: what the channel plays while neither is live (the server's slate player uses one)."
    ))

    let id: String
    let channelId: String
    let label: String
    let createdAt: String
    let revokedAt: Nullable<String>
    let role: String

    init(_ key: StreamKey) {
        id = APIID.format(key.id)
        channelId = APIID.format(key.channelID)
        label = key.label
        createdAt = APIDate.format(key.createdAt)
        revokedAt = Nullable(key.revokedAt.map(APIDate.format))
        role = key.role.rawValue
    }
}

/// The answer to creating or rotating a key: the key's record and, this once, the clear key
/// (`sk_...`) to paste into the encoder.
struct CreatedStreamKeyJSON: APIRepresentation {
    static let schema = StreamKeyJSON.schema.extended(
        as: "CreatedStreamKey", "A key just created or rotated: the fields of StreamKey, and the clear key.",
        ["secret": .text("The stream key (sk_...) to give the encoder. Shown only in this answer.")]
    )

    let key: StreamKeyJSON
    let secret: String

    init(_ created: CreatedStreamKey) {
        key = StreamKeyJSON(created.key)
        secret = created.secret.value
    }

    func encode(to encoder: any Encoder) throws {
        try key.encode(to: encoder)
        var container = encoder.container(keyedBy: BodyKey.self)
        try container.encode(secret, forKey: BodyKey("secret"))
    }
}

/// `POST /channels/{id}/keys`.
struct CreateStreamKeyBody: APIRequestBody {
    static let schema = APISchema("StreamKeyCreate", .body(
        "A new stream key; a primary key unless the role says backup.", required: ["label"],
        ["label": APIProperty.label, "role": StreamKeyJSON.roleSchema.reference]
    ))

    let label: String
    let role: StreamKeyRole

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
        label = try object.required(String.self, "label")
        role = try object.choice(StreamKeyRole.self, "role") ?? .primary
    }
}

/// `POST /keys/{id}/rotate`: the body is optional; the new key keeps the old label unless given.
struct RotateStreamKeyBody: APIRequestBody {
    static let schema = APISchema("StreamKeyRotate", .body(
        "The new key's label; the old key's label when absent. The body may be left out altogether.", required: [],
        ["label": APIProperty.label]
    ))

    static var whenLeftOut: RotateStreamKeyBody? { RotateStreamKeyBody() }

    let label: String?

    init(label: String? = nil) { self.label = label }

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
        label = try object.optional(String.self, "label")
    }
}
