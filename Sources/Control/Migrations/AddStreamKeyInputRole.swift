import FluentKit
import FluentSQL

/// Stream keys name the input they publish (`primary` or `backup`); keys made before are primary.
struct AddStreamKeyInputRole: AsyncMigration {
    var name: String { "Control.AddStreamKeyInputRole" }

    func prepare(on database: any Database) async throws {
        try await database.schema(StreamKeyRow.schema)
            .field("input_role", .string, .required, .sql(.default(StreamKeyRole.primary.rawValue)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StreamKeyRow.schema).deleteField("input_role").update()
    }
}
