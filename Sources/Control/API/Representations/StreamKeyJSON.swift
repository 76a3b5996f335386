/// `StreamKey` in responses. The clear key is not part of it: it is only in
/// ``CreatedStreamKeyJSON``.
struct StreamKeyJSON: Encodable {
    let id: String
    let channelId: String
    let label: String
    let createdAt: String
    let revokedAt: Nullable<String>

    init(_ key: StreamKey) {
        id = APIID.format(key.id)
        channelId = APIID.format(key.channelID)
        label = key.label
        createdAt = APIDate.format(key.createdAt)
        revokedAt = Nullable(key.revokedAt.map(APIDate.format))
    }
}

/// The answer to creating or rotating a key: the key's record and, this once, the clear key
/// (`sk_...`) to paste into the encoder.
struct CreatedStreamKeyJSON: Encodable {
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
struct CreateStreamKeyBody: Decodable {
    let label: String

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, fields: ["label"])
        label = try object.required(String.self, "label")
    }
}

/// `POST /keys/{id}/rotate`: the body is optional; the new key keeps the old label unless given.
struct RotateStreamKeyBody: Decodable {
    let label: String?

    init(label: String? = nil) { self.label = label }

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, fields: ["label"])
        label = try object.optional(String.self, "label")
    }
}
