import FluentKit

/// Channels say what they play while no encoder is live (``ChannelSlate``); channels made before
/// have no slate.
struct AddChannelSlate: AsyncMigration {
    var name: String { "Control.AddChannelSlate" }

    static let fields = ["slate_source", "slate_path", "slate_timeout_seconds"]

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite alters a table one change at a time.
        try await database.schema(ChannelRow.schema).field("slate_source", .string).update()
        try await database.schema(ChannelRow.schema).field("slate_path", .string).update()
        try await database.schema(ChannelRow.schema).field("slate_timeout_seconds", .int).update()
    }

    func revert(on database: any Database) async throws {
        for field in Self.fields {
            try await database.schema(ChannelRow.schema).deleteField(.string(field)).update()
        }
    }
}
