import FluentKit
import Foundation

extension ControlStore {
    /// Registers a webhook. Its signing secret (`whsec_...`) is in the result; it is stored (the
    /// sender signs with it) but never returned again.
    public func createWebhook(
        organisation: UUID, _ webhook: NewWebhook, scope: Scope
    ) async throws(ControlError) -> CreatedWebhook {
        guard scope.canSee(organisation: organisation) else { throw .notFound("organisation") }
        try scope.requireWrite()
        var webhook = webhook
        webhook.url = try Validate.httpURL(webhook.url, field: "url")
        webhook.events = try Validate.webhookEvents(webhook.events)
        let secret = SecretFormat.make(
            prefix: SecretFormat.webhookSecretPrefix, randomBytes: SecretFormat.webhookSecretRandomBytes
        )
        let row = WebhookRow(id: UUID(), organisationID: organisation, webhook: webhook, secret: secret, createdAt: .nowMilliseconds())
        try await transaction("create webhook") { db in
            _ = try await self.requireOrganisation(organisation, scope: scope, on: db)
            let count = try await WebhookRow.query(on: db).filter(\.$organisationID == organisation).count()
            guard count < ControlLimits.webhooksPerOrganisation else {
                throw ControlError.limitExceeded(what: "webhooks per organisation", limit: ControlLimits.webhooksPerOrganisation)
            }
            try await row.create(on: db)
        }
        logger.info("webhook created", metadata: ["organisation": "\(organisation)", "webhook": "\(row.id!)"])
        return CreatedWebhook(webhook: try row.record(), secret: secret)
    }

    /// Lists webhooks: of `organisation` (default: the caller's own), or of every organisation for
    /// the server admin when `organisation` is `nil`.
    public func webhooks(
        organisation: UUID? = nil, scope: Scope, page: Page = .first
    ) async throws(ControlError) -> PageResult<Webhook> {
        let filter = try scope.listFilter(requested: organisation)
        let query = WebhookRow.query(on: database)
        if let filter { query.filter(\.$organisationID == filter) }
        return try await self.page(query, page, "list webhooks") { try $0.record() }
    }

    /// The webhook, or `nil` if it does not exist or belongs to another organisation.
    public func webhook(id: UUID, scope: Scope) async throws(ControlError) -> Webhook? {
        try await perform("get webhook") {
            try await scoped(WebhookRow.query(on: database), scope).filter(\.$id == id).first().map { try $0.record() }
        }
    }

    /// Changes a webhook's URL, events or active flag.
    public func updateWebhook(id: UUID, _ update: WebhookUpdate, scope: Scope) async throws(ControlError) -> Webhook {
        try scope.requireWrite()
        let url = try update.url.map { url throws(ControlError) in try Validate.httpURL(url, field: "url") }
        let events = try update.events.map { events throws(ControlError) in try Validate.webhookEvents(events) }
        let active = update.active
        return try await perform("update webhook") {
            guard let row = try await scoped(WebhookRow.query(on: database), scope).filter(\.$id == id).first() else {
                throw ControlError.notFound("webhook")
            }
            if let url { row.url = url }
            if let events { row.events = WebhookRow.encode(events) }
            if let active { row.active = active }
            try await row.update(on: database)
            return try row.record()
        }
    }

    /// Deletes a webhook and its deliveries, pending ones included.
    public func deleteWebhook(id: UUID, scope: Scope) async throws(ControlError) {
        try scope.requireWrite()
        try await transaction("delete webhook") { db in
            guard let row = try await scoped(WebhookRow.query(on: db), scope).filter(\.$id == id).first() else {
                throw ControlError.notFound("webhook")
            }
            try await WebhookDeliveryRow.query(on: db).filter(\.$webhookID == id).delete()
            try await row.delete(on: db)
        }
    }
}
