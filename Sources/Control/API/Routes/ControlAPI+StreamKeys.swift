extension ControlAPI {
    /// `channels/{id}/keys`, `keys/{id}`, `keys/{id}/rotate`. The clear key is in the create and
    /// rotate answers only.
    static let streamKeyEndpoints: [APIEndpoint] = [
        APIEndpoint(
            .post, "channels/{id}/keys", .write,
            APIOperation(
                "createStreamKey", "Create a stream key", tag: .keys, answer: "Created. The clear key is in this answer only.",
                failures: [.conflict]
            ),
            body: CreateStreamKeyBody.self
        ) { call in
            let channel = try call.id("channel")
            let body = try await call.body()
            let created = try await call.store.createStreamKey(channel: channel, label: body.label, role: body.role, scope: call.scope)
            return Created(CreatedStreamKeyJSON(created), at: "keys/\(APIID.format(created.key.id))")
        },
        APIEndpoint(
            .get, "channels/{id}/keys", .read,
            APIOperation(
                "listStreamKeys", "List a channel's stream keys", tag: .keys,
                description: "Revoked keys included. Clear keys are never listed.", query: APIQueryParameter.paging
            )
        ) { call in
            let page = try await call.store.streamKeys(channel: call.id("channel"), scope: call.scope, page: call.page())
            return PageJSON(page, StreamKeyJSON.init)
        },
        APIEndpoint(.get, "keys/{id}", .read, APIOperation("getStreamKey", "Get a stream key", tag: .keys)) { call in
            guard let key = try await call.store.streamKey(id: call.id("stream key"), scope: call.scope) else {
                throw ControlError.notFound("stream key")
            }
            return StreamKeyJSON(key)
        },
        APIEndpoint(
            .post, "keys/{id}/rotate", .write,
            APIOperation(
                "rotateStreamKey", "Rotate a stream key", tag: .keys, description: "Rotating a revoked key is a conflict.",
                answer: "The new key, on the same channel; the old one is revoked in the same transaction. The clear key is in this answer only.",
                failures: [.conflict]
            ),
            body: RotateStreamKeyBody.self
        ) { call in
            let id = try call.id("stream key")
            let body = try await call.body()
            let created = try await call.store.rotateStreamKey(id: id, label: body.label, scope: call.scope)
            return Created(CreatedStreamKeyJSON(created), at: "keys/\(APIID.format(created.key.id))")
        },
        APIEndpoint(
            .delete, "keys/{id}", .write,
            APIOperation(
                "revokeStreamKey", "Revoke a stream key", tag: .keys,
                answer: "Revoked (revoking a revoked key changes nothing). The next publish with it is refused."
            )
        ) { call in
            StreamKeyJSON(try await call.store.revokeStreamKey(id: call.id("stream key"), scope: call.scope))
        },
    ]
}
