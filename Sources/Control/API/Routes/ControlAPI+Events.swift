extension ControlAPI {
    /// `channels/{id}/events`, `events/{id}`.
    var eventEndpoints: [APIEndpoint] {
        [
            APIEndpoint(.post, "channels/{id}/events", .write) { call in
                let channel = try call.id("channel")
                let body = try await call.body(CreateEventBody.self)
                let event = try await store.createEvent(channel: channel, body.event, scope: call.scope)
                return try APIResponse.created(EventJSON(event), location: "events/\(APIID.format(event.id))")
            },
            APIEndpoint(.get, "channels/{id}/events", .read) { call in
                let page = try await store.events(channel: call.id("channel"), scope: call.scope, page: call.page())
                return try APIResponse.ok(PageJSON(page, EventJSON.init))
            },
            APIEndpoint(.get, "events/{id}", .read) { call in
                guard let event = try await store.event(id: call.id("event"), scope: call.scope) else {
                    throw ControlError.notFound("event")
                }
                return try APIResponse.ok(EventJSON(event))
            },
            APIEndpoint(.patch, "events/{id}", .write) { call in
                let id = try call.id("event")
                let body = try await call.body(UpdateEventBody.self)
                let event = try await store.updateEvent(id: id, body.update, scope: call.scope)
                return try APIResponse.ok(EventJSON(event))
            },
            APIEndpoint(.delete, "events/{id}", .write) { call in
                try await store.deleteEvent(id: call.id("event"), scope: call.scope)
                return APIResponse.noContent()
            },
        ]
    }
}
