import FluentKit

struct CreateWebhooks: AsyncMigration {
    var name: String { "Control.CreateWebhooks" }

    func prepare(on database: any Database) async throws {
        try await database.schema(WebhookRow.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationRow.schema, "id", onDelete: .cascade))
            .field("url", .string, .required)
            .field("secret", .string, .required)
            .field("events", .string, .required)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await createIndex(
            "webhooks_organisation", on: WebhookRow.schema,
            columns: ["organisation_id", "created_at", "id"], on: database
        )
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WebhookRow.schema).delete()
    }
}
