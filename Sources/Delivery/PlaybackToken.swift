/// The claims of a playback token and their byte layout.
///
/// A token is carried in the query of every playback URL of a `token` channel, `?token=…`. It is
/// base64url without padding (RFC 4648 §5) of these bytes, integers big-endian:
///
/// | bytes | field |
/// |---|---|
/// | 1 | version, `1` |
/// | 1 + k | key id: length k (1…32), then ASCII (letters, digits, `.`, `_`, `-`) |
/// | 1 + c | channel: length c (1…64), then ASCII (letters, digits, `-`, `_`) |
/// | 8 | expiry, Unix seconds: the token is refused from that second on |
/// | 1 + s | session: length s (0…64), then the issuer's opaque bytes (UTF-8); 0 means none |
/// | 32 | HMAC-SHA256 (RFC 2104) of every byte above, with the key the key id names |
///
/// The whole token is at most `maximumLength` characters, which is checked before any decoding.
/// The session binds a URL to one viewer session of the issuer's choosing; the server checks
/// only that it was signed.
public struct PlaybackToken: Sendable, Hashable {
    public var keyID: String
    public var channel: String
    /// Unix seconds.
    public var expiresAt: Int64
    public var session: String?

    public init(keyID: String, channel: String, expiresAt: Int64, session: String? = nil) {
        self.keyID = keyID
        self.channel = channel
        self.expiresAt = expiresAt
        self.session = session
    }

    static let version: UInt8 = 1
    /// Channel names as the server accepts them (`ServerConfiguration.isValidChannelName`).
    public static let channelLength = 1...64
    /// A session id the issuer chooses: room for a UUID, a hash or a database key.
    public static let maximumSessionBytes = 64
    static let macLength = 32
    /// The longest token: 1 + (1 + 32) + (1 + 64) + 8 + (1 + 64) + 32 = 204 bytes, which base64url
    /// writes in 272 characters.
    public static let maximumLength = 272
    /// The shortest: one-byte key id and channel, no session: 46 bytes, 62 characters.
    static let minimumLength = 62

    /// The signed bytes (everything but the MAC).
    func payload() throws(DeliveryError) -> [UInt8] {
        guard PlaybackKey.isValidID(keyID) else { throw .invalidKeyID(keyID) }
        guard Self.isValidChannelName(channel) else { throw .invalidChannelName(channel) }
        let sessionBytes = Array((session ?? "").utf8)
        guard sessionBytes.count <= Self.maximumSessionBytes else { throw .sessionTooLong(bytes: sessionBytes.count) }
        guard expiresAt >= 0 else { throw .invalidExpiry(expiresAt) }
        var bytes: [UInt8] = [Self.version, UInt8(keyID.utf8.count)] + Array(keyID.utf8)
        bytes += [UInt8(channel.utf8.count)] + Array(channel.utf8)
        bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: expiresAt >> ($0 * 8)) }
        bytes += [UInt8(sessionBytes.count)] + sessionBytes
        return bytes
    }

    /// Splits a decoded token into claims, signed bytes and MAC. Every length is checked against
    /// what is left, and nothing may follow the MAC.
    static func parse(_ bytes: [UInt8]) -> (token: PlaybackToken, payload: ArraySlice<UInt8>, mac: ArraySlice<UInt8>)? {
        guard bytes.count > macLength else { return nil }
        let payload = bytes[..<(bytes.count - macLength)]
        let mac = bytes[(bytes.count - macLength)...]
        var cursor = payload.startIndex
        func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, payload.endIndex - cursor >= n else { return nil }
            defer { cursor += n }
            return payload[cursor..<(cursor + n)]
        }
        func string() -> String? {
            guard let length = take(1)?.first, let raw = take(Int(length)) else { return nil }
            return String(validating: raw, as: UTF8.self)
        }
        guard take(1)?.first == version,
              let keyID = string(), PlaybackKey.isValidID(keyID),
              let channel = string(), isValidChannelName(channel),
              let expiry = take(8),
              let session = string(), session.utf8.count <= maximumSessionBytes,
              cursor == payload.endIndex
        else { return nil }
        let expiresAt = expiry.reduce(Int64(0)) { $0 << 8 | Int64($1) }
        guard expiresAt >= 0 else { return nil }
        let token = PlaybackToken(keyID: keyID, channel: channel, expiresAt: expiresAt, session: session.isEmpty ? nil : session)
        return (token, payload, mac)
    }

    static func isValidChannelName(_ name: String) -> Bool {
        channelLength.contains(name.utf8.count) && name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
    }
}
