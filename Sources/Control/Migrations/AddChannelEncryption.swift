import FluentKit
import FluentSQL

/// Channels carry their encryption settings (``EncryptionSettings``); channels made before are clear.
struct AddChannelEncryption: AsyncMigration {
    var name: String { "Control.AddChannelEncryption" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite alters a table one change at a time.
        try await database.schema(ChannelRow.schema).field("encryption_enabled", .bool, .required, .sql(.default(false))).update()
        try await database.schema(ChannelRow.schema)
            .field("encryption_rotation_segments", .int64, .required, .sql(.default(EncryptionSettings.defaultRotationSegments)))
            .update()
        try await database.schema(ChannelRow.schema).field("encryption_key_server", .string).update()
    }

    func revert(on database: any Database) async throws {
        for field in ["encryption_enabled", "encryption_rotation_segments", "encryption_key_server"] {
            try await database.schema(ChannelRow.schema).deleteField(.string(field)).update()
        }
    }
}
