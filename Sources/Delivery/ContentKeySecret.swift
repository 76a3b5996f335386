import Crypto

/// The server's secret that every content key is derived from (``ContentKeys``): the same on
/// every identical origin, so that they derive the same keys without talking to each other.
/// Like a playback key's secret it is never logged.
public struct ContentKeySecret: Sendable, CustomStringConvertible {
    /// The secret's bytes (`SymmetricKey` is not `Sendable`; one is made for each derivation).
    let bytes: [UInt8]

    /// At least 32 bytes, HKDF-SHA256's hash length (RFC 5869 §3.1 recommends input keying
    /// material at least that long); at most 256, as playback key secrets.
    public static let length = 32...256

    public init(bytes: [UInt8]) throws(DeliveryError) {
        guard Self.length.contains(bytes.count) else { throw .contentKeySecret }
        self.bytes = bytes
    }

    /// The secret in hex or base64, as playback key secrets are written.
    public init(text: String) throws(DeliveryError) {
        guard let bytes = PlaybackKey.decodeSecret(Substring(text)) else { throw .contentKeySecret }
        try self.init(bytes: bytes)
    }

    /// Never shows the secret.
    public var description: String { "ContentKeySecret(\(bytes.count) bytes)" }

    var key: SymmetricKey { SymmetricKey(data: bytes) }
}
