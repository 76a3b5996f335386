extension ControlAPI {
    /// `channels/{id}/markers`: ad breaks and programmes on a live channel (``ChannelMarkers``).
    static let markerEndpoints: [APIEndpoint] = [
        APIEndpoint(
            .post, "channels/{id}/markers", .write,
            APIOperation(
                "createMarker", "Mark an ad break or a programme", tag: .channels,
                description: "Queues a marker on a live channel, now or at a time: it becomes an EXT-X-DATERANGE with its SCTE-35 cue in the HLS playlists, an SCTE-35 event in the DASH MPD and a channel.marker webhook once its segment is cut. A channel that is not live answers 409.",
                answer: "Accepted: queued for the channel's packager.", failures: [.conflict]
            ),
            body: CreateMarkerBody.self
        ) { call in
            let channel = try await call.channel()
            let body = try await call.limitingBody(to: ControlLimits.markerBodyBytes).body()
            switch call.markers.insert(body.marker, channel: channel.name) {
            case .accepted:
                return Accepted(MarkerJSON(body.marker))
            case .notLive:
                throw ControlError.conflict("channel \(channel.name) is not live: a marker needs an encoder publishing")
            case .full(let limit):
                throw ControlError.limitExceeded(what: "markers waiting for channel \(channel.name)", limit: limit)
            }
        },
    ]
}

extension APICall {
    /// The same call, reading a body of at most `bytes`.
    func limitingBody(to bytes: Int) -> APICall {
        var limits = self.limits
        limits.requestBodyBytes = min(limits.requestBodyBytes, bytes)
        return APICall(
            request: request, parameters: parameters, scope: scope, limits: limits, store: store, query: query,
            telemetry: telemetry, markers: markers, media: media)
    }
}
