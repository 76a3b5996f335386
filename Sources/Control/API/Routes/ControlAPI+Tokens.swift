extension ControlAPI {
    /// `organisations/{id}/tokens`, `tokens/{id}`. The secret is in the create answer only.
    static let tokenEndpoints: [APIEndpoint] = [
        APIEndpoint(
            .post, "organisations/{id}/tokens", .write,
            APIOperation(
                "createToken", "Create an API token", tag: .tokens, answer: "Created. The secret is in this answer only.",
                failures: [.conflict]
            ),
            body: CreateTokenBody.self
        ) { call in
            let organisation = try call.id("organisation")
            let body = try await call.body()
            let created = try await call.store.createToken(
                organisation: organisation, name: body.name, role: body.role, scope: call.scope
            )
            return Created(CreatedTokenJSON(created), at: "tokens/\(APIID.format(created.token.id))")
        },
        APIEndpoint(
            .get, "organisations/{id}/tokens", .read,
            APIOperation(
                "listTokens", "List an organisation's API tokens", tag: .tokens,
                description: "Revoked tokens included. Secrets are never listed.", query: APIQueryParameter.paging
            )
        ) { call in
            let page = try await call.store.tokens(organisation: call.id("organisation"), scope: call.scope, page: call.page())
            return PageJSON(page, TokenJSON.init)
        },
        APIEndpoint(.get, "tokens/{id}", .read, APIOperation("getToken", "Get an API token", tag: .tokens)) { call in
            guard let token = try await call.store.token(id: call.id("token"), scope: call.scope) else {
                throw ControlError.notFound("token")
            }
            return TokenJSON(token)
        },
        APIEndpoint(
            .delete, "tokens/{id}", .write,
            APIOperation(
                "revokeToken", "Revoke an API token", tag: .tokens,
                answer: "Revoked (revoking a revoked token changes nothing). The record is kept."
            )
        ) { call in
            TokenJSON(try await call.store.revokeToken(id: call.id("token"), scope: call.scope))
        },
    ]
}
