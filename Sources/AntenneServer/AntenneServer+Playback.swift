import Delivery

extension AntenneServer {
    /// Who may watch what: the channels' visibility and the playback keys. A token channel without
    /// a key could serve no one, so it stops the server from starting.
    static func playbackAccess(
        _ configuration: ServerConfiguration, visibility: @escaping @Sendable (String) -> ChannelVisibility
    ) throws -> PlaybackAccess {
        let tokenChannels = configuration.channels.filter { $0.visibility == .token }.map(\.name)
        guard !configuration.playbackKeys.isEmpty else {
            guard tokenChannels.isEmpty else { throw ServerError.noPlaybackKey(channels: tokenChannels) }
            // A control-plane channel may still turn `token`: with no key to verify, it is refused.
            return PlaybackAccess(signer: nil, visibility: visibility)
        }
        return PlaybackAccess(signer: try PlaybackSigner(keys: configuration.playbackKeys), visibility: visibility)
    }
}
