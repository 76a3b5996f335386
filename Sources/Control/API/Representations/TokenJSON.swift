/// `APIToken` in responses. The secret is not part of it: it is only in ``CreatedTokenJSON``.
struct TokenJSON: Encodable {
    let id: String
    let organisationId: String
    let name: String
    let role: String
    let createdAt: String
    let lastUsedAt: Nullable<String>
    let revokedAt: Nullable<String>

    init(_ token: APIToken) {
        id = APIID.format(token.id)
        organisationId = APIID.format(token.organisationID)
        name = token.name
        role = token.role.rawValue
        createdAt = APIDate.format(token.createdAt)
        lastUsedAt = Nullable(token.lastUsedAt.map(APIDate.format))
        revokedAt = Nullable(token.revokedAt.map(APIDate.format))
    }
}

/// The answer to creating a token: the token and, this once, its secret.
struct CreatedTokenJSON: Encodable {
    let token: TokenJSON
    let secret: String

    init(_ created: CreatedAPIToken) {
        token = TokenJSON(created.token)
        secret = created.secret.value
    }

    func encode(to encoder: any Encoder) throws {
        try token.encode(to: encoder)
        var container = encoder.container(keyedBy: BodyKey.self)
        try container.encode(secret, forKey: BodyKey("secret"))
    }
}

/// `POST /organisations/{id}/tokens`.
struct CreateTokenBody: Decodable {
    let name: String
    let role: Role

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, fields: ["name", "role"])
        name = try object.required(String.self, "name")
        // Least privilege unless asked otherwise.
        role = try object.choice(Role.self, "role") ?? .readOnly
    }
}
