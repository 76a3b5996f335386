/// `APIToken` in responses. The secret is not part of it: it is only in ``CreatedTokenJSON``.
struct TokenJSON: APIRepresentation {
    static let schema = APISchema("Token", .representation(
        "An organisation's API token. Its secret is never shown again after creation.",
        [
            "id": APIProperty.id, "organisationId": APIProperty.id, "name": .text(), "role": roleSchema.reference,
            "createdAt": APIProperty.time,
            "lastUsedAt": APIProperty.timestamp(
                "When the token last authenticated a request (updated at most once a minute).", nullable: true
            ),
            "revokedAt": APIProperty.timestamp("Set once revoked; a revoked token never authenticates again.", nullable: true),
        ]
    ))

    static let roleSchema = APISchema("Role", .choice(Role.self, "admin reads and writes everything of its organisation; readOnly only reads."))

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
struct CreatedTokenJSON: APIRepresentation {
    static let schema = TokenJSON.schema.extended(as: "CreatedToken", "A token just created: the fields of Token, and its secret.", [
        "secret": .text("The token (ant_...), for Authorization: Bearer. Shown only in this answer; store it now."),
    ])

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
struct CreateTokenBody: APIRequestBody {
    static let schema = APISchema("TokenCreate", .body("A new API token; role defaults to readOnly.", required: ["name"], [
        "name": APIProperty.label, "role": TokenJSON.roleSchema.reference,
    ]))

    let name: String
    let role: Role

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
        name = try object.required(String.self, "name")
        // Least privilege unless asked otherwise.
        role = try object.choice(Role.self, "role") ?? .readOnly
    }
}
