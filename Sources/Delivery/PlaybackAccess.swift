import Manifests

/// Decides whether a playback request may be served: `public` channels always, `token` channels
/// with a valid `?token=`.
public struct PlaybackAccess: Sendable {
    let signer: PlaybackSigner?
    let visibility: @Sendable (String) -> ChannelVisibility

    /// - Parameter visibility: a channel's visibility by name, asked on every request (so the
    ///   control plane can change it while the server runs).
    public init(signer: PlaybackSigner?, visibility: @escaping @Sendable (String) -> ChannelVisibility) {
        self.signer = signer
        self.visibility = visibility
    }

    public init(signer: PlaybackSigner?, tokenChannels: Set<String>) {
        self.init(signer: signer) { tokenChannels.contains($0) ? .token : .public }
    }

    /// Every channel public: playback as before tokens existed.
    public static let open = PlaybackAccess(signer: nil) { _ in .public }

    /// The query parameter that carries the token.
    public static let queryName = "token"

    /// - Parameters:
    ///   - token: the request's `token` query value, if any.
    ///   - now: Unix seconds.
    ///   - known: the channel's visibility when the caller knows it (a channel that is not
    ///     running); otherwise it is asked of `visibility`.
    func decide(channel: String, token: String?, now: Int64, known: ChannelVisibility? = nil) -> PlaybackDecision {
        guard (known ?? visibility(channel)) == .token else { return .granted(.open) }
        guard let token, !token.isEmpty else { return .refused(.missing) }
        // A token channel without keys (the server refuses to start so) fails closed.
        guard let signer else { return .refused(.invalid(.unknownKey)) }
        switch signer.verify(token, channel: channel, now: now) {
        case .valid: return .granted(.token(token))
        case .expired: return .refused(.expired)
        case .invalid(let reason): return .refused(.invalid(reason))
        }
    }
}

enum PlaybackDecision: Sendable, Equatable {
    case granted(PlaybackGrant)
    case refused(PlaybackRefusal)
}

/// What a served request may do with its token.
enum PlaybackGrant: Sendable, Equatable {
    /// A public channel: nothing to carry, caches may share.
    case open
    /// A token channel: the (verified) token goes on every URI of the playlists served.
    case token(String)

    /// The query every URI of this viewer's playlists carries: `base` (a DVR reach, an archive
    /// range) and then, on a token channel, the token.
    func query(after base: URIQuery? = nil) -> URIQuery? {
        guard case .token(let token) = self else { return base }
        return base.appending(URIQuery("\(PlaybackAccess.queryName)=\(token)"))
    }

    /// The verified token, on a token channel.
    var token: String? {
        guard case .token(let token) = self else { return nil }
        return token
    }

    /// A playlist of a token channel embeds the viewer's token: shared caches must not keep it.
    func playlistCache(_ policy: String) -> String {
        guard case .token = self else { return policy }
        switch policy {
        case CachePolicy.livePlaylist: return CachePolicy.signedLivePlaylist
        case CachePolicy.multivariant: return CachePolicy.signedMultivariant
        case CachePolicy.archivePlaylist: return CachePolicy.signedArchivePlaylist
        default: return policy
        }
    }
}

enum PlaybackRefusal: Sendable, Equatable, CustomStringConvertible {
    case missing
    case expired
    case invalid(PlaybackTokenRejection)

    var description: String {
        switch self {
        case .missing: "missing token"
        case .expired: "expired token"
        case .invalid(let reason): "invalid token: \(reason)"
        }
    }
}
