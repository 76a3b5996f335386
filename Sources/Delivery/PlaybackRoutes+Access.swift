extension PlaybackRoutes {
    /// Serves the request if `access` grants it, or answers the refusal (401, 403 or 410,
    /// `no-store`). The token itself is never logged; the reason is, at debug level.
    func authorized(
        _ channel: String, _ request: PlaybackRequest, known visibility: ChannelVisibility? = nil,
        serve: (PlaybackGrant) -> PlaybackAnswer
    ) -> PlaybackAnswer {
        switch access.decide(channel: channel, token: request.query(PlaybackAccess.queryName), now: now() / 1000, known: visibility) {
        case .granted(let grant):
            return serve(grant)
        case .refused(let refusal):
            logger.debug("playback refused", metadata: ["channel": "\(channel)", "reason": "\(refusal)"])
            return .now(.refused(refusal))
        }
    }

    /// The same for the archive of a channel that may not be running: a running channel's
    /// visibility is the runtime's, another's the catalog's; a channel neither knows is a 404.
    func authorizedArchive(
        _ channel: String, _ request: PlaybackRequest, serve: @escaping @Sendable (PlaybackGrant) async -> PlaybackResponse
    ) -> PlaybackAnswer {
        guard archive != nil else { return .now(.notFound()) }
        if packagers.channel(named: channel) != nil {
            return authorized(channel, request) { grant in .later { await serve(grant) } }
        }
        return .later {
            guard let visibility = await catalog.offlineChannel(named: channel) else { return .notFound("unknown channel") }
            return await authorized(channel, request, known: visibility) { grant in .later { await serve(grant) } }.response()
        }
    }
}

extension PlaybackAnswer {
    /// The response, once any work it needs is done.
    func response() async -> PlaybackResponse {
        switch self {
        case .now(let response): response
        case .held(let answer):
            await ((try? await answer.get()) ?? .now(.stopping)).response()
        case .later(let work): await work()
        }
    }
}
