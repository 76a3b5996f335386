extension ControlAPI {
    /// `channels/{id}/destinations`, `destinations/{id}`: restreaming. Stream keys are write-only.
    static let destinationEndpoints: [APIEndpoint] = [
        APIEndpoint(
            .post, "channels/{id}/destinations", .write,
            APIOperation(
                "createDestination", "Add a restream destination", tag: .channels,
                answer: "Created. The push starts within 2 s, when the channel is live.", failures: [.conflict]
            ),
            body: CreateDestinationBody.self
        ) { call in
            let channel = try call.id("channel")
            let body = try await call.body()
            let created = try await call.store.createDestination(channel: channel, body.destination, scope: call.scope)
            return Created(DestinationJSON(created), at: "destinations/\(APIID.format(created.id))")
        },
        APIEndpoint(
            .get, "channels/{id}/destinations", .read,
            APIOperation(
                "listDestinations", "List a channel's restream destinations", tag: .channels,
                description: "With each push's status. Stream keys are never listed.", query: APIQueryParameter.paging
            )
        ) { call in
            let page = try await call.store.destinations(channel: call.id("channel"), scope: call.scope, page: call.page())
            return PageJSON(page, DestinationJSON.init)
        },
        APIEndpoint(.get, "destinations/{id}", .read, APIOperation("getDestination", "Get a restream destination", tag: .channels)) { call in
            guard let destination = try await call.store.destination(id: call.id("destination"), scope: call.scope) else {
                throw ControlError.notFound("destination")
            }
            return DestinationJSON(destination)
        },
        APIEndpoint(
            .delete, "destinations/{id}", .write,
            APIOperation("deleteDestination", "Delete a restream destination", tag: .channels, answer: "Deleted; its push stops within 2 s.")
        ) { call in
            try await call.store.deleteDestination(id: call.id("destination"), scope: call.scope)
            return NoContent()
        },
    ]
}
