import Foundation

/// A key an encoder publishes a channel with. Only the SHA-256 of the key is stored; this record
/// carries neither the key nor its hash.
public struct StreamKey: Sendable, Hashable, Identifiable, Codable {
    public let id: UUID
    public let channelID: UUID
    public let label: String
    public let createdAt: Date
    public let revokedAt: Date?
    /// The input of the channel it publishes.
    public let role: StreamKeyRole

    public init(id: UUID, channelID: UUID, label: String, createdAt: Date, revokedAt: Date?, role: StreamKeyRole = .primary) {
        self.id = id
        self.channelID = channelID
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.role = role
    }

    public var isRevoked: Bool { revokedAt != nil }
}

/// A key just created: the record and the clear key (`sk_...`), which is shown this once.
public struct CreatedStreamKey: Sendable, Hashable {
    public let key: StreamKey
    public let secret: Secret
}
