import FluentKit

struct CreateEvents: AsyncMigration {
    var name: String { "Control.CreateEvents" }

    func prepare(on database: any Database) async throws {
        try await database.schema(EventRow.schema)
            .id()
            .field("channel_id", .uuid, .required, .references(ChannelRow.schema, "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references(OrganisationRow.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("poster_url", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await createIndex(
            "events_channel", on: EventRow.schema, columns: ["channel_id", "created_at", "id"], on: database
        )
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EventRow.schema).delete()
    }
}
