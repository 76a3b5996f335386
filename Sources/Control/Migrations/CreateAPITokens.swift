import FluentKit

struct CreateAPITokens: AsyncMigration {
    var name: String { "Control.CreateAPITokens" }

    func prepare(on database: any Database) async throws {
        try await database.schema(APITokenRow.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationRow.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("name", .string, .required)
            .field("secret_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "secret_hash", name: "api_tokens_secret_hash")
            .create()
        try await createIndex(
            "api_tokens_organisation", on: APITokenRow.schema,
            columns: ["organisation_id", "created_at", "id"], on: database
        )
    }

    func revert(on database: any Database) async throws {
        try await database.schema(APITokenRow.schema).delete()
    }
}
