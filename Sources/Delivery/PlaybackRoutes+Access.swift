import Hummingbird

extension PlaybackRoutes {
    /// Serves the request if `access` grants it, or answers the refusal (401, 403 or 410,
    /// `no-store`). The token itself is never logged; the reason is, at debug level.
    func authorized(
        _ channel: String, _ request: Request, _ context: some RequestContext, visibility: ChannelVisibility? = nil,
        serve: (PlaybackGrant) async -> Response
    ) async -> Response {
        let token = request.uri.queryParameters[Substring(PlaybackAccess.queryName)].map(String.init)
        switch access.decide(channel: channel, token: token, now: now() / 1000, known: visibility) {
        case .granted(let grant):
            return await serve(grant)
        case .refused(let refusal):
            context.logger.debug("playback refused", metadata: ["channel": "\(channel)", "reason": "\(refusal)"])
            return Responses.refused(refusal)
        }
    }

    /// The same for the archive of a channel that may not be running: a running channel's
    /// visibility is the runtime's, another's the catalog's; a channel neither knows is a 404.
    func authorizedArchive(
        _ channel: String, _ request: Request, _ context: some RequestContext,
        serve: (PlaybackGrant) async -> Response
    ) async -> Response {
        guard archive != nil else { return Responses.notFound() }
        if packagers.channel(named: channel) != nil { return await authorized(channel, request, context, serve: serve) }
        guard let visibility = await catalog.offlineChannel(named: channel) else { return Responses.notFound("unknown channel") }
        return await authorized(channel, request, context, visibility: visibility, serve: serve)
    }
}
