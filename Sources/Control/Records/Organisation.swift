import Foundation

/// A tenant: it owns channels, API tokens and webhooks.
public struct Organisation: Sendable, Hashable, Identifiable, Codable {
    public let id: UUID
    public var name: String
    public let createdAt: Date

    public init(id: UUID, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}
