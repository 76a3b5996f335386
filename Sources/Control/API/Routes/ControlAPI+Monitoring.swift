extension ControlAPI {
    /// `channels/{id}/live`, `channels/{id}/history`, `server`: what the running server measures
    /// (``ChannelTelemetry``), for the back-office and for monitoring scripts.
    static let monitoringEndpoints: [APIEndpoint] = [
        APIEndpoint(
            .get, "channels/{id}/live", .read,
            APIOperation(
                "getChannelLive", "A channel's live status", tag: .monitoring,
                description: "Whether an encoder publishes, the input's codec, size, bitrate, frame rate and key-frame interval, viewers and latency, and the SRT link (RTT, loss, retransmissions, receive rate, latency) when the active input comes over SRT."
            )
        ) { call in
            let channel = try await call.channel()
            return LiveStatusJSON(await call.telemetry.live(channel: channel.name))
        },
        APIEndpoint(
            .get, "channels/{id}/history", .read,
            APIOperation(
                "getChannelHistory", "A channel's last hour", tag: .monitoring,
                description: "Input bitrate, viewers and playback errors, sampled every intervalSeconds while the server runs."
            )
        ) { call in
            let channel = try await call.channel()
            return TelemetryHistoryJSON(await call.telemetry.history(channel: channel.name))
        },
        APIEndpoint(
            .get, "server", .read,
            APIOperation(
                "getServerStatus", "The server's status", tag: .monitoring,
                description: "CPU, memory, disk, archive health and transcoders. Server admin token only.", failures: [.forbidden]
            )
        ) { call in
            try call.scope.requireServerAdmin("the server status")
            return ServerStatusJSON(await call.telemetry.server())
        },
    ]
}

extension APICall {
    /// The `{id}` channel, if the caller may see it.
    func channel() async throws -> Channel {
        guard let channel = try await store.channel(id: id("channel"), scope: scope) else {
            throw ControlError.notFound("channel")
        }
        return channel
    }
}
