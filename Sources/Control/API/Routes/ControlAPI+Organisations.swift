extension ControlAPI {
    /// `organisations`, `organisations/{id}`. Creating and deleting need the server admin token;
    /// an organisation's token sees and renames its own organisation only.
    var organisationEndpoints: [APIEndpoint] {
        [
            APIEndpoint(.post, "organisations", .write) { call in
                let body = try await call.body(CreateOrganisationBody.self)
                let organisation = try await store.createOrganisation(name: body.name, scope: call.scope)
                return try APIResponse.created(OrganisationJSON(organisation), location: "organisations/\(APIID.format(organisation.id))")
            },
            APIEndpoint(.get, "organisations", .read) { call in
                let page = try await store.organisations(scope: call.scope, page: call.page())
                return try APIResponse.ok(PageJSON(page, OrganisationJSON.init))
            },
            APIEndpoint(.get, "organisations/{id}", .read) { call in
                guard let organisation = try await store.organisation(id: call.id("organisation"), scope: call.scope) else {
                    throw ControlError.notFound("organisation")
                }
                return try APIResponse.ok(OrganisationJSON(organisation))
            },
            APIEndpoint(.patch, "organisations/{id}", .write) { call in
                let id = try call.id("organisation")
                let body = try await call.body(UpdateOrganisationBody.self)
                let organisation: Organisation? =
                    if let name = body.name {
                        try await store.renameOrganisation(id: id, name: name, scope: call.scope)
                    } else {
                        try await store.organisation(id: id, scope: call.scope)
                    }
                guard let organisation else { throw ControlError.notFound("organisation") }
                return try APIResponse.ok(OrganisationJSON(organisation))
            },
            APIEndpoint(.delete, "organisations/{id}", .write) { call in
                try await store.deleteOrganisation(id: call.id("organisation"), scope: call.scope)
                return APIResponse.noContent()
            },
        ]
    }
}
