extension ControlAPI {
    /// `webhooks`, `webhooks/{id}`, `webhooks/{id}/deliveries`. The signing secret is in the
    /// create answer only.
    var webhookEndpoints: [APIEndpoint] {
        [
            APIEndpoint(.post, "webhooks", .write) { call in
                let body = try await call.body(CreateWebhookBody.self)
                let created = try await store.createWebhook(
                    organisation: call.owningOrganisation(body.organisationID), body.webhook, scope: call.scope
                )
                return try APIResponse.created(CreatedWebhookJSON(created), location: "webhooks/\(APIID.format(created.webhook.id))")
            },
            APIEndpoint(.get, "webhooks", .read) { call in
                let page = try await store.webhooks(
                    organisation: call.queryID("organisationId"), scope: call.scope, page: call.page()
                )
                return try APIResponse.ok(PageJSON(page, WebhookJSON.init))
            },
            APIEndpoint(.get, "webhooks/{id}", .read) { call in
                guard let webhook = try await store.webhook(id: call.id("webhook"), scope: call.scope) else {
                    throw ControlError.notFound("webhook")
                }
                return try APIResponse.ok(WebhookJSON(webhook))
            },
            APIEndpoint(.patch, "webhooks/{id}", .write) { call in
                let id = try call.id("webhook")
                let body = try await call.body(UpdateWebhookBody.self)
                let webhook = try await store.updateWebhook(id: id, body.update, scope: call.scope)
                return try APIResponse.ok(WebhookJSON(webhook))
            },
            APIEndpoint(.delete, "webhooks/{id}", .write) { call in
                try await store.deleteWebhook(id: call.id("webhook"), scope: call.scope)
                return APIResponse.noContent()
            },
            APIEndpoint(.get, "webhooks/{id}/deliveries", .read) { call in
                let page = try await store.deliveries(webhook: call.id("webhook"), scope: call.scope, page: call.page())
                return try APIResponse.ok(PageJSON(page, DeliveryJSON.init))
            },
        ]
    }
}
