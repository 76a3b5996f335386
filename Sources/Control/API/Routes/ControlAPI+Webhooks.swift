extension ControlAPI {
    /// `webhooks`, `webhooks/{id}`, `webhooks/{id}/deliveries`. The signing secret is in the
    /// create answer only.
    static let webhookEndpoints: [APIEndpoint] = [
        APIEndpoint(
            .post, "webhooks", .write,
            APIOperation(
                "createWebhook", "Create a webhook", tag: .webhooks,
                answer: "Created. The signing secret is in this answer only.", failures: [.notFound, .conflict]
            ),
            body: CreateWebhookBody.self
        ) { call in
            let body = try await call.body()
            let created = try await call.store.createWebhook(
                organisation: call.owningOrganisation(body.organisationID), body.webhook, scope: call.scope
            )
            return Created(CreatedWebhookJSON(created), at: "webhooks/\(APIID.format(created.webhook.id))")
        },
        APIEndpoint(
            .get, "webhooks", .read,
            APIOperation(
                "listWebhooks", "List webhooks", tag: .webhooks, description: "Signing secrets are never listed.",
                query: [.organisation] + APIQueryParameter.paging
            )
        ) { call in
            let page = try await call.store.webhooks(
                organisation: call.queryID(.organisation), scope: call.scope, page: call.page()
            )
            return PageJSON(page, WebhookJSON.init)
        },
        APIEndpoint(.get, "webhooks/{id}", .read, APIOperation("getWebhook", "Get a webhook", tag: .webhooks)) { call in
            guard let webhook = try await call.store.webhook(id: call.id("webhook"), scope: call.scope) else {
                throw ControlError.notFound("webhook")
            }
            return WebhookJSON(webhook)
        },
        APIEndpoint(
            .patch, "webhooks/{id}", .write,
            APIOperation("updateWebhook", "Change a webhook", tag: .webhooks),
            body: UpdateWebhookBody.self
        ) { call in
            let id = try call.id("webhook")
            let body = try await call.body()
            return WebhookJSON(try await call.store.updateWebhook(id: id, body.update, scope: call.scope))
        },
        APIEndpoint(
            .delete, "webhooks/{id}", .write,
            APIOperation(
                "deleteWebhook", "Delete a webhook", tag: .webhooks,
                answer: "Deleted, with its deliveries, pending ones included."
            )
        ) { call in
            try await call.store.deleteWebhook(id: call.id("webhook"), scope: call.scope)
            return NoContent()
        },
        APIEndpoint(
            .get, "webhooks/{id}/deliveries", .read,
            APIOperation(
                "listDeliveries", "List a webhook's deliveries", tag: .webhooks,
                description: "The outbox log: pending, delivered and given-up deliveries.", query: APIQueryParameter.paging
            )
        ) { call in
            let page = try await call.store.deliveries(webhook: call.id("webhook"), scope: call.scope, page: call.page())
            return PageJSON(page, DeliveryJSON.init)
        },
    ]
}
