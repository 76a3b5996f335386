import Hummingbird

extension PlaybackRoutes {
    /// Serves the request if `access` grants it, or answers the refusal (401, 403 or 410,
    /// `no-store`). The token itself is never logged; the reason is, at debug level.
    func authorized(
        _ channel: String, _ request: Request, _ context: some RequestContext,
        serve: (PlaybackGrant) async -> Response
    ) async -> Response {
        let token = request.uri.queryParameters[Substring(PlaybackAccess.queryName)].map(String.init)
        switch access.decide(channel: channel, token: token, now: now() / 1000) {
        case .granted(let grant):
            return await serve(grant)
        case .refused(let refusal):
            context.logger.debug("playback refused", metadata: ["channel": "\(channel)", "reason": "\(refusal)"])
            return Responses.refused(refusal)
        }
    }
}
