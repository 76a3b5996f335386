extension ControlAPI {
    /// `channels/{id}/events`, `events/{id}`.
    static let eventEndpoints: [APIEndpoint] = [
        APIEndpoint(
            .post, "channels/{id}/events", .write,
            APIOperation(
                "createEvent", "Schedule an event", tag: .events,
                description: "Also creates the event's recording (origin event, retained, over the same range), counted against the channel's recordings.",
                failures: [.conflict]
            ),
            body: CreateEventBody.self
        ) { call in
            let channel = try call.id("channel")
            let body = try await call.body()
            let event = try await call.store.createEvent(channel: channel, body.event, scope: call.scope)
            return Created(EventJSON(event), at: "events/\(APIID.format(event.id))")
        },
        APIEndpoint(
            .get, "channels/{id}/events", .read,
            APIOperation("listEvents", "List a channel's events", tag: .events, query: APIQueryParameter.paging)
        ) { call in
            let page = try await call.store.events(channel: call.id("channel"), scope: call.scope, page: call.page())
            return PageJSON(page, EventJSON.init)
        },
        APIEndpoint(.get, "events/{id}", .read, APIOperation("getEvent", "Get an event", tag: .events)) { call in
            guard let event = try await call.store.event(id: call.id("event"), scope: call.scope) else {
                throw ControlError.notFound("event")
            }
            return EventJSON(event)
        },
        APIEndpoint(
            .patch, "events/{id}", .write,
            APIOperation(
                "updateEvent", "Change an event", tag: .events,
                description: "New times move the event's recording with it; its title stays."
            ),
            body: UpdateEventBody.self
        ) { call in
            let id = try call.id("event")
            let body = try await call.body()
            return EventJSON(try await call.store.updateEvent(id: id, body.update, scope: call.scope))
        },
        APIEndpoint(
            .delete, "events/{id}", .write,
            APIOperation(
                "deleteEvent", "Delete an event", tag: .events,
                answer: "Deleted. Its recording stays, as a replay, with eventId null."
            )
        ) { call in
            try await call.store.deleteEvent(id: call.id("event"), scope: call.scope)
            return NoContent()
        },
    ]
}
