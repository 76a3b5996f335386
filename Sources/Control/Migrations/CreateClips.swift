import FluentKit

struct CreateClips: AsyncMigration {
    var name: String { "Control.CreateClips" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ClipRow.schema)
            .id()
            .field("channel_id", .uuid, .required, .references(ChannelRow.schema, "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references(OrganisationRow.schema, "id", onDelete: .cascade))
            .field("recording_id", .uuid, .references(RecordingRow.schema, "id", onDelete: .setNull))
            .field("title", .string)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("rendition", .string)
            .field("status", .string, .required)
            .field("progress", .double, .required)
            .field("size", .int64)
            .field("error", .string)
            .field("claimed_until", .datetime)
            .field("created_at", .datetime, .required)
            .field("ready_at", .datetime)
            .create()
        try await createIndex(
            "clips_channel", on: ClipRow.schema, columns: ["channel_id", "created_at", "id"], on: database
        )
        // The clip jobs' query: clips to take, by status and lease.
        try await createIndex("clips_claim", on: ClipRow.schema, columns: ["status", "claimed_until"], on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ClipRow.schema).delete()
    }
}
