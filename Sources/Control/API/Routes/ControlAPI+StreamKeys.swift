extension ControlAPI {
    /// `channels/{id}/keys`, `keys/{id}`, `keys/{id}/rotate`. The clear key is in the create and
    /// rotate answers only.
    var streamKeyEndpoints: [APIEndpoint] {
        [
            APIEndpoint(.post, "channels/{id}/keys", .write) { call in
                let channel = try call.id("channel")
                let body = try await call.body(CreateStreamKeyBody.self)
                let created = try await store.createStreamKey(channel: channel, label: body.label, scope: call.scope)
                return try APIResponse.created(CreatedStreamKeyJSON(created), location: "keys/\(APIID.format(created.key.id))")
            },
            APIEndpoint(.get, "channels/{id}/keys", .read) { call in
                let page = try await store.streamKeys(channel: call.id("channel"), scope: call.scope, page: call.page())
                return try APIResponse.ok(PageJSON(page, StreamKeyJSON.init))
            },
            APIEndpoint(.get, "keys/{id}", .read) { call in
                guard let key = try await store.streamKey(id: call.id("stream key"), scope: call.scope) else {
                    throw ControlError.notFound("stream key")
                }
                return try APIResponse.ok(StreamKeyJSON(key))
            },
            APIEndpoint(.post, "keys/{id}/rotate", .write) { call in
                let id = try call.id("stream key")
                let body = try await call.optionalBody(RotateStreamKeyBody.self) ?? RotateStreamKeyBody()
                let created = try await store.rotateStreamKey(id: id, label: body.label, scope: call.scope)
                return try APIResponse.created(CreatedStreamKeyJSON(created), location: "keys/\(APIID.format(created.key.id))")
            },
            APIEndpoint(.delete, "keys/{id}", .write) { call in
                let key = try await store.revokeStreamKey(id: call.id("stream key"), scope: call.scope)
                return try APIResponse.ok(StreamKeyJSON(key))
            },
        ]
    }
}
