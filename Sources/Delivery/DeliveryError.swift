/// Errors of the Delivery module: playback keys and playback tokens that cannot be made.
public enum DeliveryError: Error, Equatable, CustomStringConvertible {
    /// A key id outside `PlaybackKey.idLength` or with characters other than letters, digits,
    /// `.`, `_` and `-`.
    case invalidKeyID(String)
    /// `ID:SECRET` without the colon.
    case malformedKeySpec
    /// A secret that is neither hex nor base64.
    case unreadableSecret(keyID: String)
    /// A secret outside `PlaybackKey.secretLength`.
    case secretLength(keyID: String, bytes: Int)
    case duplicateKeyID(String)
    /// A signer needs at least one key.
    case noPlaybackKeys
    /// A channel name outside `PlaybackToken.channelLength` or with characters other than letters,
    /// digits, `-` and `_`.
    case invalidChannelName(String)
    /// A session id longer than `PlaybackToken.maximumSessionBytes`.
    case sessionTooLong(bytes: Int)
    /// An expiry before the epoch.
    case invalidExpiry(Int64)
    /// A content key secret that is not hex or base64 of `ContentKeySecret.length` bytes.
    case contentKeySecret
    /// A channel set to be encrypted while the server has no content key secret.
    case noContentKeySecret(channels: [String])
    /// A segment streamed while it was written got no new part within the wait of a blocking
    /// request (its publisher stopped): its answer ends unfinished.
    case segmentStalled(msn: Int)

    public var description: String {
        switch self {
        case .invalidKeyID(let id):
            "playback key id '\(id)' must be 1 to \(PlaybackKey.idLength.upperBound) letters, digits, '.', '_' or '-'"
        case .malformedKeySpec:
            "a playback key is written ID:SECRET, the secret in hex or base64"
        case .unreadableSecret(let id):
            "the secret of playback key '\(id)' is neither hex nor base64"
        case .secretLength(let id, let bytes):
            "the secret of playback key '\(id)' is \(bytes) bytes; it needs \(PlaybackKey.secretLength.lowerBound) to \(PlaybackKey.secretLength.upperBound) (e.g. `openssl rand -hex 32`)"
        case .duplicateKeyID(let id):
            "playback key id '\(id)' is given twice"
        case .noPlaybackKeys:
            "no playback key is configured (--playback-key ID:SECRET or ANTENNE_PLAYBACK_KEY)"
        case .invalidChannelName(let name):
            "'\(name)' is not a channel name"
        case .sessionTooLong(let bytes):
            "a session id is at most \(PlaybackToken.maximumSessionBytes) bytes, got \(bytes)"
        case .invalidExpiry(let value):
            "expiry \(value) is not a Unix time"
        case .contentKeySecret:
            "the content key secret must be hex or base64 of \(ContentKeySecret.length.lowerBound) to \(ContentKeySecret.length.upperBound) bytes (e.g. `openssl rand -hex 32`)"
        case .noContentKeySecret(let channels):
            "channels \(channels.joined(separator: ", ")) are encrypted without a key server, and no content key secret is configured (--content-key-secret or ANTENNE_CONTENT_KEY_SECRET)"
        case .segmentStalled(let msn):
            "segment \(msn) stopped growing before it was complete"
        }
    }
}
