import FluentKit
import SQLKit

/// The `recordings` table, and a recording for every event scheduled before it existed, so each
/// event has its replay (it reuses the event's id, as no recording had one yet).
struct CreateRecordings: AsyncMigration {
    var name: String { "Control.CreateRecordings" }

    func prepare(on database: any Database) async throws {
        try await database.schema(RecordingRow.schema)
            .id()
            .field("channel_id", .uuid, .required, .references(ChannelRow.schema, "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references(OrganisationRow.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime)
            .field("origin", .string, .required)
            .field("event_id", .uuid, .references(EventRow.schema, "id", onDelete: .setNull))
            .field("retain", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await createIndex(
            "recordings_channel", on: RecordingRow.schema, columns: ["channel_id", "created_at", "id"], on: database
        )
        try await createIndex("recordings_event", on: RecordingRow.schema, columns: ["event_id"], on: database)
        try await Self.backfill(on: database)
    }

    /// Inserts a retained `.event` recording over each event's range, with the event's id.
    static func backfill(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else {
            throw ControlError.database("\(RecordingRow.schema): the driver does not speak SQL, cannot backfill")
        }
        try await sql.raw("""
            INSERT INTO \(ident: RecordingRow.schema) \
            (\(ident: "id"), \(ident: "channel_id"), \(ident: "organisation_id"), \(ident: "title"), \
            \(ident: "starts_at"), \(ident: "ends_at"), \(ident: "origin"), \(ident: "event_id"), \
            \(ident: "retain"), \(ident: "created_at")) \
            SELECT \(ident: "id"), \(ident: "channel_id"), \(ident: "organisation_id"), \(ident: "title"), \
            \(ident: "starts_at"), \(ident: "ends_at"), \(bind: RecordingOrigin.event.rawValue), \(ident: "id"), \
            \(bind: true), \(ident: "created_at") FROM \(ident: EventRow.schema)
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RecordingRow.schema).delete()
    }
}
