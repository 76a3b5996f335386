extension ControlAPI {
    /// `channels/{id}/recordings`, `recordings/{id}`.
    static let recordingEndpoints: [APIEndpoint] = [
        APIEndpoint(
            .post, "channels/{id}/recordings", .write,
            APIOperation(
                "createRecording", "Record a time range of a channel", tag: .recordings,
                description: "A recording with origin api. Recordings are also made by the server for each publish session (origin session) and with each event (origin event).",
                failures: [.conflict]
            ),
            body: CreateRecordingBody.self
        ) { call in
            let channel = try call.id("channel")
            let body = try await call.body()
            let recording = try await call.store.createRecording(channel: channel, body.recording, scope: call.scope)
            return Created(RecordingJSON(recording), at: "recordings/\(APIID.format(recording.id))")
        },
        APIEndpoint(
            .get, "channels/{id}/recordings", .read,
            APIOperation(
                "listRecordings", "List a channel's recordings", tag: .recordings,
                description: "Recordings of every origin: session, event and api.", query: APIQueryParameter.paging
            )
        ) { call in
            let page = try await call.store.recordings(channel: call.id("channel"), scope: call.scope, page: call.page())
            return PageJSON(page, RecordingJSON.init)
        },
        APIEndpoint(.get, "recordings/{id}", .read, APIOperation("getRecording", "Get a recording", tag: .recordings)) { call in
            guard let recording = try await call.store.recording(id: call.id("recording"), scope: call.scope) else {
                throw ControlError.notFound("recording")
            }
            return RecordingJSON(recording)
        },
        APIEndpoint(
            .patch, "recordings/{id}", .write,
            APIOperation(
                "updateRecording", "Change a recording", tag: .recordings,
                description: "title and retain change on any recording; startsAt and endsAt only on a recording of origin api (409 otherwise).",
                failures: [.conflict]
            ),
            body: UpdateRecordingBody.self
        ) { call in
            let id = try call.id("recording")
            let body = try await call.body()
            return RecordingJSON(try await call.store.updateRecording(id: id, body.update, scope: call.scope))
        },
        APIEndpoint(
            .delete, "recordings/{id}", .write,
            APIOperation(
                "deleteRecording", "Delete a recording", tag: .recordings,
                answer: "Deleted. Clips cut from it stay, with recordingId null; its range is no longer pinned against retention."
            )
        ) { call in
            try await call.store.deleteRecording(id: call.id("recording"), scope: call.scope)
            return NoContent()
        },
    ]
}
