import FluentKit

struct CreateWebhookDeliveries: AsyncMigration {
    var name: String { "Control.CreateWebhookDeliveries" }

    func prepare(on database: any Database) async throws {
        try await database.schema(WebhookDeliveryRow.schema)
            .id()
            .field("webhook_id", .uuid, .required, .references(WebhookRow.schema, "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references(OrganisationRow.schema, "id", onDelete: .cascade))
            .field("event", .string, .required)
            .field("payload", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("last_error", .string)
            .field("delivered_at", .datetime)
            .field("gave_up_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        // The sender's query: pending deliveries by due time.
        try await createIndex(
            "webhook_deliveries_due", on: WebhookDeliveryRow.schema,
            columns: ["delivered_at", "gave_up_at", "next_attempt_at"], on: database
        )
        try await createIndex(
            "webhook_deliveries_webhook", on: WebhookDeliveryRow.schema,
            columns: ["webhook_id", "created_at", "id"], on: database
        )
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WebhookDeliveryRow.schema).delete()
    }
}
