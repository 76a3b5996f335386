extension ControlAPI {
    /// `channels/{id}/schedule`: file playout for a 24/7 channel.
    static let scheduleEndpoints: [APIEndpoint] = [
        APIEndpoint(
            .put, "channels/{id}/schedule", .write,
            APIOperation(
                "replaceSchedule", "Replace a channel's schedule", tag: .channels,
                description: "Each path must be a readable file of the server's media directory (--media-dir); a server without one refuses every schedule.",
                answer: "Replaced. The server plays it within 2 s, from where the clock says it is."
            ),
            body: ReplaceScheduleBody.self
        ) { call in
            let channel = try call.id("channel")
            let body = try await call.body()
            // The files must be there; the store checks the rest (count, order).
            for (index, item) in body.items.prefix(ControlLimits.scheduleItems).enumerated() {
                try call.requireMediaFile(item.path, field: "items[\(index)].path")
            }
            return ScheduleJSON(channel: channel, try await call.store.replaceSchedule(channel: channel, body.items, scope: call.scope))
        },
        APIEndpoint(.get, "channels/{id}/schedule", .read, APIOperation("getSchedule", "Get a channel's schedule", tag: .channels)) { call in
            let channel = try call.id("channel")
            return ScheduleJSON(channel: channel, try await call.store.schedule(channel: channel, scope: call.scope))
        },
        APIEndpoint(
            .delete, "channels/{id}/schedule", .write,
            APIOperation("clearSchedule", "Clear a channel's schedule", tag: .channels, answer: "Cleared; its playout stops within 2 s.")
        ) { call in
            try await call.store.clearSchedule(channel: call.id("channel"), scope: call.scope)
            return NoContent()
        },
    ]
}
