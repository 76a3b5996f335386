extension ControlAPI {
    /// `organisations/{id}/tokens`, `tokens/{id}`. The secret is in the create answer only.
    var tokenEndpoints: [APIEndpoint] {
        [
            APIEndpoint(.post, "organisations/{id}/tokens", .write) { call in
                let organisation = try call.id("organisation")
                let body = try await call.body(CreateTokenBody.self)
                let created = try await store.createToken(
                    organisation: organisation, name: body.name, role: body.role, scope: call.scope
                )
                return try APIResponse.created(CreatedTokenJSON(created), location: "tokens/\(APIID.format(created.token.id))")
            },
            APIEndpoint(.get, "organisations/{id}/tokens", .read) { call in
                let page = try await store.tokens(organisation: call.id("organisation"), scope: call.scope, page: call.page())
                return try APIResponse.ok(PageJSON(page, TokenJSON.init))
            },
            APIEndpoint(.get, "tokens/{id}", .read) { call in
                guard let token = try await store.token(id: call.id("token"), scope: call.scope) else {
                    throw ControlError.notFound("token")
                }
                return try APIResponse.ok(TokenJSON(token))
            },
            APIEndpoint(.delete, "tokens/{id}", .write) { call in
                let token = try await store.revokeToken(id: call.id("token"), scope: call.scope)
                return try APIResponse.ok(TokenJSON(token))
            },
        ]
    }
}
