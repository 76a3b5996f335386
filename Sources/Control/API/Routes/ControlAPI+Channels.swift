extension ControlAPI {
    /// `channels`, `channels/{id}`.
    static let channelEndpoints: [APIEndpoint] = [
        APIEndpoint(
            .post, "channels", .write,
            APIOperation("createChannel", "Create a channel", tag: .channels, failures: [.notFound, .conflict]),
            body: CreateChannelBody.self
        ) { call in
            let body = try await call.body()
            if let path = body.channel.slate?.path { try call.requireMediaFile(path, field: "slate.path") }
            let channel = try await call.store.createChannel(
                organisation: call.owningOrganisation(body.organisationID), body.channel, scope: call.scope
            )
            return Created(ChannelJSON(channel), at: "channels/\(APIID.format(channel.id))")
        },
        APIEndpoint(
            .get, "channels", .read,
            APIOperation("listChannels", "List channels", tag: .channels, query: [.organisation] + APIQueryParameter.paging)
        ) { call in
            let page = try await call.store.channels(
                organisation: call.queryID(.organisation), scope: call.scope, page: call.page()
            )
            return PageJSON(page, ChannelJSON.init)
        },
        APIEndpoint(.get, "channels/{id}", .read, APIOperation("getChannel", "Get a channel", tag: .channels)) { call in
            guard let channel = try await call.store.channel(id: call.id("channel"), scope: call.scope) else {
                throw ControlError.notFound("channel")
            }
            return ChannelJSON(channel)
        },
        APIEndpoint(
            .patch, "channels/{id}", .write,
            APIOperation("updateChannel", "Change a channel", tag: .channels, failures: [.conflict]),
            body: UpdateChannelBody.self
        ) { call in
            let id = try call.id("channel")
            let body = try await call.body()
            if let path = body.update.slate??.path { try call.requireMediaFile(path, field: "slate.path") }
            return ChannelJSON(try await call.store.updateChannel(id: id, body.update, scope: call.scope))
        },
        APIEndpoint(
            .delete, "channels/{id}", .write,
            APIOperation(
                "deleteChannel", "Delete a channel", tag: .channels,
                answer: "Deleted, with its stream keys, events, recordings and clips."
            )
        ) { call in
            try await call.store.deleteChannel(id: call.id("channel"), scope: call.scope)
            return NoContent()
        },
    ]
}
