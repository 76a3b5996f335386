extension ControlAPI {
    /// `organisations`, `organisations/{id}`. Creating and deleting need the server admin token;
    /// an organisation's token sees and renames its own organisation only.
    static let organisationEndpoints: [APIEndpoint] = [
        APIEndpoint(
            .post, "organisations", .write,
            APIOperation("createOrganisation", "Create an organisation", tag: .organisations, description: "Server admin token only."),
            body: CreateOrganisationBody.self
        ) { call in
            let body = try await call.body()
            let organisation = try await call.store.createOrganisation(name: body.name, scope: call.scope)
            return Created(OrganisationJSON(organisation), at: "organisations/\(APIID.format(organisation.id))")
        },
        APIEndpoint(
            .get, "organisations", .read,
            APIOperation(
                "listOrganisations", "List organisations", tag: .organisations,
                description: "Every organisation for the server admin; the caller's own otherwise.", query: APIQueryParameter.paging
            )
        ) { call in
            let page = try await call.store.organisations(scope: call.scope, page: call.page())
            return PageJSON(page, OrganisationJSON.init)
        },
        APIEndpoint(.get, "organisations/{id}", .read, APIOperation("getOrganisation", "Get an organisation", tag: .organisations)) { call in
            guard let organisation = try await call.store.organisation(id: call.id("organisation"), scope: call.scope) else {
                throw ControlError.notFound("organisation")
            }
            return OrganisationJSON(organisation)
        },
        APIEndpoint(
            .patch, "organisations/{id}", .write,
            APIOperation(
                "updateOrganisation", "Rename an organisation", tag: .organisations,
                description: "The server admin, or an admin token of this organisation."
            ),
            body: UpdateOrganisationBody.self
        ) { call in
            let id = try call.id("organisation")
            let body = try await call.body()
            let organisation: Organisation? =
                if let name = body.name {
                    try await call.store.renameOrganisation(id: id, name: name, scope: call.scope)
                } else {
                    try await call.store.organisation(id: id, scope: call.scope)
                }
            guard let organisation else { throw ControlError.notFound("organisation") }
            return OrganisationJSON(organisation)
        },
        APIEndpoint(
            .delete, "organisations/{id}", .write,
            APIOperation(
                "deleteOrganisation", "Delete an organisation", tag: .organisations, description: "Server admin token only.",
                answer: "Deleted, with everything it owned: tokens, channels, keys, events, webhooks and deliveries."
            )
        ) { call in
            try await call.store.deleteOrganisation(id: call.id("organisation"), scope: call.scope)
            return NoContent()
        },
    ]
}
