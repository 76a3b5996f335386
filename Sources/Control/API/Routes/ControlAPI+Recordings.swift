extension ControlAPI {
    /// `channels/{id}/recordings`, `recordings/{id}`.
    var recordingEndpoints: [APIEndpoint] {
        [
            APIEndpoint(.post, "channels/{id}/recordings", .write) { call in
                let channel = try call.id("channel")
                let body = try await call.body(CreateRecordingBody.self)
                let recording = try await store.createRecording(channel: channel, body.recording, scope: call.scope)
                return try APIResponse.created(RecordingJSON(recording), location: "recordings/\(APIID.format(recording.id))")
            },
            APIEndpoint(.get, "channels/{id}/recordings", .read) { call in
                let page = try await store.recordings(channel: call.id("channel"), scope: call.scope, page: call.page())
                return try APIResponse.ok(PageJSON(page, RecordingJSON.init))
            },
            APIEndpoint(.get, "recordings/{id}", .read) { call in
                guard let recording = try await store.recording(id: call.id("recording"), scope: call.scope) else {
                    throw ControlError.notFound("recording")
                }
                return try APIResponse.ok(RecordingJSON(recording))
            },
            APIEndpoint(.patch, "recordings/{id}", .write) { call in
                let id = try call.id("recording")
                let body = try await call.body(UpdateRecordingBody.self)
                let recording = try await store.updateRecording(id: id, body.update, scope: call.scope)
                return try APIResponse.ok(RecordingJSON(recording))
            },
            APIEndpoint(.delete, "recordings/{id}", .write) { call in
                try await store.deleteRecording(id: call.id("recording"), scope: call.scope)
                return APIResponse.noContent()
            },
        ]
    }
}
