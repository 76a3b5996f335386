import Foundation

/// An organisation's API token, as stored: the secret itself is never kept, only its SHA-256.
public struct APIToken: Sendable, Hashable, Identifiable, Codable {
    public let id: UUID
    public let organisationID: UUID
    public let role: Role
    /// A label for humans ("CI deploy").
    public let name: String
    public let createdAt: Date
    public let lastUsedAt: Date?
    public let revokedAt: Date?

    public init(
        id: UUID, organisationID: UUID, role: Role, name: String,
        createdAt: Date, lastUsedAt: Date?, revokedAt: Date?
    ) {
        self.id = id
        self.organisationID = organisationID
        self.role = role
        self.name = name
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }
}

/// A token just created: the record, and its secret (`ant_...`), which is shown this once.
public struct CreatedAPIToken: Sendable, Hashable {
    public let token: APIToken
    public let secret: Secret
}
