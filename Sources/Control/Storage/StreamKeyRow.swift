import FluentKit
import Foundation

/// The `stream_keys` table. `key_hash` is the lowercase hex SHA-256 of the key; the key itself is
/// never stored. `organisation_id` repeats the channel's owner so scoped queries need no join.
final class StreamKeyRow: Model, @unchecked Sendable {
    static let schema = "stream_keys"

    @ID(key: .id) var id: UUID?
    @Field(key: "channel_id") var channelID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "label") var label: String
    @Field(key: "key_hash") var keyHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    /// A ``StreamKeyRole``'s raw value.
    @Field(key: "input_role") var inputRole: String

    init() {}

    init(
        id: UUID, channelID: UUID, organisationID: UUID, label: String, keyHash: String, createdAt: Date,
        role: StreamKeyRole = .primary
    ) {
        self.id = id
        self.channelID = channelID
        self.organisationID = organisationID
        self.label = label
        self.keyHash = keyHash
        self.createdAt = createdAt
        self.revokedAt = nil
        self.inputRole = role.rawValue
    }

    func role() throws(ControlError) -> StreamKeyRole {
        guard let role = StreamKeyRole(rawValue: inputRole) else {
            throw ControlError.database("stream key \(id.map { "\($0)" } ?? "?") has an unknown input role")
        }
        return role
    }

    func record() throws(ControlError) -> StreamKey {
        StreamKey(
            id: try requireRowID(id, Self.schema), channelID: channelID, label: label,
            createdAt: createdAt.millisecondRounded, revokedAt: revokedAt?.millisecondRounded, role: try role()
        )
    }
}
