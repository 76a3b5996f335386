import FluentKit
import FluentSQL

/// Encrypted channels carry their scheme (``EncryptionScheme``); channels made before use AES-128.
struct AddChannelEncryptionScheme: AsyncMigration {
    var name: String { "Control.AddChannelEncryptionScheme" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ChannelRow.schema)
            .field("encryption_scheme", .string, .required, .sql(.default(EncryptionScheme.aes128.rawValue)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ChannelRow.schema).deleteField("encryption_scheme").update()
    }
}
