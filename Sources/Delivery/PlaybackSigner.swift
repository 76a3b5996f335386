import Crypto

/// Signs and verifies playback tokens (`PlaybackToken` documents the format) with HMAC-SHA256.
/// No I/O, the clock is passed in; tokens already verified are remembered (``VerifiedTokens``).
public struct PlaybackSigner: Sendable {
    public let keys: PlaybackKeys
    private let verified = VerifiedTokens()

    public init(keys: PlaybackKeys) throws(DeliveryError) {
        guard !keys.isEmpty else { throw .noPlaybackKeys }
        self.keys = keys
    }

    /// A token for `channel`, valid until `expiresAt` (Unix seconds, exclusive), signed with the
    /// newest key.
    public func sign(channel: String, expiresAt: Int64, session: String? = nil) throws(DeliveryError) -> String {
        let key = keys.newest!
        let payload = try PlaybackToken(keyID: key.id, channel: channel, expiresAt: expiresAt, session: session).payload()
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: SymmetricKey(data: key.secret))
        return Base64URL.encode(payload + Array(mac))
    }

    /// Checks, in this order: the length bound, the encoding and layout, the key id, the MAC (in
    /// constant time), then the channel and the expiry, which mean nothing before the MAC holds.
    ///
    /// - Parameter now: Unix seconds.
    public func verify(_ text: some StringProtocol, channel: String, now: Int64) -> PlaybackAuthResult {
        guard text.utf8.count <= PlaybackToken.maximumLength else { return .invalid(.tooLong) }
        let text = String(text)
        let grant: VerifiedTokens.Grant
        if let known = verified.grant(for: text) {
            grant = known
        } else {
            guard text.utf8.count >= PlaybackToken.minimumLength,
                  let bytes = Base64URL.decode(text),
                  let (token, payload, mac) = PlaybackToken.parse(bytes)
            else { return .invalid(.malformed) }
            guard let key = keys.key(id: token.keyID) else { return .invalid(.unknownKey) }
            guard HMAC<SHA256>.isValidAuthenticationCode(Array(mac), authenticating: Array(payload), using: SymmetricKey(data: key.secret)) else {
                return .invalid(.badSignature)
            }
            grant = VerifiedTokens.Grant(channel: token.channel, expiresAt: token.expiresAt)
            verified.remember(text, grant)
        }
        guard grant.channel == channel else { return .invalid(.wrongChannel) }
        guard now < grant.expiresAt else { return .expired }
        return .valid
    }
}

/// The outcome of checking a playback token.
public enum PlaybackAuthResult: Sendable, Hashable {
    case valid
    /// Genuine, for this channel, but past its expiry: HTTP 410.
    case expired
    /// HTTP 403.
    case invalid(PlaybackTokenRejection)
}

/// Why a token is refused. Safe to log and to tell the client: none of it reveals a key.
public enum PlaybackTokenRejection: String, Sendable, Hashable, CustomStringConvertible {
    /// Longer than `PlaybackToken.maximumLength`.
    case tooLong = "too long"
    /// Not base64url, or not the token layout.
    case malformed
    /// Names a key the server does not hold (retired, or never issued here).
    case unknownKey = "unknown key"
    /// The MAC does not match: tampered, or signed with another secret.
    case badSignature = "bad signature"
    /// Signed for another channel.
    case wrongChannel = "wrong channel"

    public var description: String { rawValue }
}
