import FluentKit

struct CreateOrganisations: AsyncMigration {
    var name: String { "Control.CreateOrganisations" }

    func prepare(on database: any Database) async throws {
        try await database.schema(OrganisationRow.schema)
            .id()
            .field("name", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await createIndex(
            "organisations_created", on: OrganisationRow.schema, columns: ["created_at", "id"], on: database
        )
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OrganisationRow.schema).delete()
    }
}
