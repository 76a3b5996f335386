import FluentKit

/// Channels' schedules (file playout for 24/7 channels).
struct CreateScheduleItems: AsyncMigration {
    var name: String { "Control.CreateScheduleItems" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ScheduleItemRow.schema)
            .id()
            .field("channel_id", .uuid, .required, .references(ChannelRow.schema, "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references(OrganisationRow.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("path", .string, .required)
            .field("starts_at", .datetime, .required)
            .create()
        try await createIndex("schedule_items_channel", on: ScheduleItemRow.schema, columns: ["channel_id", "position"], on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ScheduleItemRow.schema).delete()
    }
}
