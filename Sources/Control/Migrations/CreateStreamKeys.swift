import FluentKit

struct CreateStreamKeys: AsyncMigration {
    var name: String { "Control.CreateStreamKeys" }

    func prepare(on database: any Database) async throws {
        try await database.schema(StreamKeyRow.schema)
            .id()
            .field("channel_id", .uuid, .required, .references(ChannelRow.schema, "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references(OrganisationRow.schema, "id", onDelete: .cascade))
            .field("label", .string, .required)
            .field("key_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "key_hash", name: "stream_keys_key_hash")
            .create()
        try await createIndex(
            "stream_keys_channel", on: StreamKeyRow.schema, columns: ["channel_id", "created_at", "id"], on: database
        )
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StreamKeyRow.schema).delete()
    }
}
