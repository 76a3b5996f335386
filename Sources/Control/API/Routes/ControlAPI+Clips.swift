extension ControlAPI {
    /// `channels/{id}/clips`, `clips/{id}`.
    static let clipEndpoints: [APIEndpoint] = [
        APIEndpoint(
            .post, "channels/{id}/clips", .write,
            APIOperation(
                "createClip", "Cut a clip", tag: .clips,
                description: "Queues an MP4 cut of the channel's archive; it is pending until a server takes it, and a clip.ready webhook says when it is ready or failed.",
                answer: "Created, pending.", failures: [.conflict]
            ),
            body: CreateClipBody.self
        ) { call in
            let channel = try call.id("channel")
            let body = try await call.body()
            let clip = try await call.store.createClip(channel: channel, body.clip, scope: call.scope)
            return Created(ClipJSON(clip), at: "clips/\(APIID.format(clip.id))")
        },
        APIEndpoint(
            .get, "channels/{id}/clips", .read,
            APIOperation("listClips", "List a channel's clips", tag: .clips, query: APIQueryParameter.paging)
        ) { call in
            let page = try await call.store.clips(channel: call.id("channel"), scope: call.scope, page: call.page())
            return PageJSON(page, ClipJSON.init)
        },
        APIEndpoint(.get, "clips/{id}", .read, APIOperation("getClip", "Get a clip", tag: .clips)) { call in
            guard let clip = try await call.store.clip(id: call.id("clip"), scope: call.scope) else {
                throw ControlError.notFound("clip")
            }
            return ClipJSON(clip)
        },
        APIEndpoint(
            .delete, "clips/{id}", .write,
            APIOperation(
                "deleteClip", "Delete a clip", tag: .clips,
                answer: "Deleted, whatever its status; its range is no longer pinned against retention."
            )
        ) { call in
            try await call.store.deleteClip(id: call.id("clip"), scope: call.scope)
            return NoContent()
        },
    ]
}
