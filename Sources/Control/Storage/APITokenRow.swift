import FluentKit
import Foundation

/// The `api_tokens` table. `secret_hash` is the lowercase hex SHA-256 of the token; the token
/// itself is never stored.
final class APITokenRow: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "role") var role: String
    @Field(key: "name") var name: String
    @Field(key: "secret_hash") var secretHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    init(id: UUID, organisationID: UUID, role: Role, name: String, secretHash: String, createdAt: Date) {
        self.id = id
        self.organisationID = organisationID
        self.role = role.rawValue
        self.name = name
        self.secretHash = secretHash
        self.createdAt = createdAt
        self.lastUsedAt = nil
        self.revokedAt = nil
    }

    func decodedRole() throws(ControlError) -> Role {
        guard let role = Role(rawValue: role) else { throw .database("\(Self.schema): unknown role \(role)") }
        return role
    }

    func record() throws(ControlError) -> APIToken {
        APIToken(
            id: try requireRowID(id, Self.schema), organisationID: organisationID, role: try decodedRole(),
            name: name, createdAt: createdAt.millisecondRounded, lastUsedAt: lastUsedAt?.millisecondRounded,
            revokedAt: revokedAt?.millisecondRounded
        )
    }
}
