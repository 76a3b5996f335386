import FluentKit

struct CreateRestreamDestinations: AsyncMigration {
    var name: String { "Control.CreateRestreamDestinations" }

    func prepare(on database: any Database) async throws {
        try await database.schema(RestreamDestinationRow.schema)
            .id()
            .field("channel_id", .uuid, .required, .references(ChannelRow.schema, "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references(OrganisationRow.schema, "id", onDelete: .cascade))
            .field("url", .string, .required)
            .field("stream_key", .string)
            .field("rendition", .string)
            .field("configured", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("state", .string, .required)
            .field("last_error", .string)
            .field("bytes_sent", .int64, .required)
            .field("dropped_samples", .int64, .required)
            .field("status_at", .datetime)
            .create()
        try await createIndex(
            "restream_destinations_channel", on: RestreamDestinationRow.schema, columns: ["channel_id", "created_at", "id"], on: database
        )
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RestreamDestinationRow.schema).delete()
    }
}
