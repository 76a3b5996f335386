import FluentKit
import FluentSQL

/// Channels say whether peer-assisted delivery is on (issue 17); channels made before have it off,
/// as every new one does unless asked.
struct AddChannelP2P: AsyncMigration {
    var name: String { "Control.AddChannelP2P" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ChannelRow.schema)
            .field("p2p", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ChannelRow.schema).deleteField("p2p").update()
    }
}
