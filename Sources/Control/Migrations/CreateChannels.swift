import FluentKit

struct CreateChannels: AsyncMigration {
    var name: String { "Control.CreateChannels" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ChannelRow.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationRow.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("name_folded", .string, .required)
            .field("ladder", .string, .required)
            .field("archive_enabled", .bool, .required)
            .field("retention_seconds", .int64)
            .field("retention_bytes", .int64)
            .field("visibility", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name_folded", name: "channels_name_folded")
            .create()
        try await createIndex(
            "channels_organisation", on: ChannelRow.schema,
            columns: ["organisation_id", "created_at", "id"], on: database
        )
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ChannelRow.schema).delete()
    }
}
