extension ControlAPI {
    /// `channels`, `channels/{id}`.
    var channelEndpoints: [APIEndpoint] {
        [
            APIEndpoint(.post, "channels", .write) { call in
                let body = try await call.body(CreateChannelBody.self)
                let channel = try await store.createChannel(
                    organisation: call.owningOrganisation(body.organisationID), body.channel, scope: call.scope
                )
                return try APIResponse.created(ChannelJSON(channel), location: "channels/\(APIID.format(channel.id))")
            },
            APIEndpoint(.get, "channels", .read) { call in
                let page = try await store.channels(
                    organisation: call.queryID("organisationId"), scope: call.scope, page: call.page()
                )
                return try APIResponse.ok(PageJSON(page, ChannelJSON.init))
            },
            APIEndpoint(.get, "channels/{id}", .read) { call in
                guard let channel = try await store.channel(id: call.id("channel"), scope: call.scope) else {
                    throw ControlError.notFound("channel")
                }
                return try APIResponse.ok(ChannelJSON(channel))
            },
            APIEndpoint(.patch, "channels/{id}", .write) { call in
                let id = try call.id("channel")
                let body = try await call.body(UpdateChannelBody.self)
                let channel = try await store.updateChannel(id: id, body.update, scope: call.scope)
                return try APIResponse.ok(ChannelJSON(channel))
            },
            APIEndpoint(.delete, "channels/{id}", .write) { call in
                try await store.deleteChannel(id: call.id("channel"), scope: call.scope)
                return APIResponse.noContent()
            },
        ]
    }
}
