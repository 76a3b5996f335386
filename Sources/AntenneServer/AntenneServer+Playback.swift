import Delivery

extension AntenneServer {
    /// Who may watch what: the channels' visibility and the playback keys. A token channel of the
    /// configuration without a key could serve no one, so it stops the server from starting. A
    /// channel can be made `token` through the API while the server runs: without a key it fails
    /// closed (401, or 403 with a token): it is never served as public.
    static func playbackAccess(
        _ configuration: ServerConfiguration, visibility: @escaping @Sendable (String) -> ChannelVisibility
    ) throws -> PlaybackAccess {
        let tokenChannels = configuration.channels.filter { $0.visibility == .token }.map(\.name)
        guard !configuration.playbackKeys.isEmpty else {
            guard tokenChannels.isEmpty else { throw ServerError.noPlaybackKey(channels: tokenChannels) }
            return PlaybackAccess(signer: nil, visibility: visibility)
        }
        return PlaybackAccess(signer: try PlaybackSigner(keys: configuration.playbackKeys), visibility: visibility)
    }
}
