extension ControlAPI {
    /// `channels/{id}/clips`, `clips/{id}`.
    var clipEndpoints: [APIEndpoint] {
        [
            APIEndpoint(.post, "channels/{id}/clips", .write) { call in
                let channel = try call.id("channel")
                let body = try await call.body(CreateClipBody.self)
                let clip = try await store.createClip(channel: channel, body.clip, scope: call.scope)
                return try APIResponse.created(ClipJSON(clip), location: "clips/\(APIID.format(clip.id))")
            },
            APIEndpoint(.get, "channels/{id}/clips", .read) { call in
                let page = try await store.clips(channel: call.id("channel"), scope: call.scope, page: call.page())
                return try APIResponse.ok(PageJSON(page, ClipJSON.init))
            },
            APIEndpoint(.get, "clips/{id}", .read) { call in
                guard let clip = try await store.clip(id: call.id("clip"), scope: call.scope) else {
                    throw ControlError.notFound("clip")
                }
                return try APIResponse.ok(ClipJSON(clip))
            },
            APIEndpoint(.delete, "clips/{id}", .write) { call in
                try await store.deleteClip(id: call.id("clip"), scope: call.scope)
                return APIResponse.noContent()
            },
        ]
    }
}
