/// How a channel's HLS media is encrypted (AES-128, whole segments and parts, README
/// "Encryption"): off, or on with a new key every ``rotationSegments`` segments, derived from the
/// server's content key secret or fetched from ``keyServer``.
public struct EncryptionSettings: Sendable, Hashable, Codable {
    public var enabled: Bool
    /// Segments per key: a new key every this many segments.
    public var rotationSegments: Int
    /// `GET {keyServer}?channel=…&period=…` gives each key; nil: the server derives them.
    public var keyServer: String?

    public init(enabled: Bool, rotationSegments: Int = EncryptionSettings.defaultRotationSegments, keyServer: String? = nil) {
        self.enabled = enabled
        self.rotationSegments = rotationSegments
        self.keyServer = keyServer
    }

    /// A new key every 30 segments: every minute with 2 s segments.
    public static let defaultRotationSegments = 30

    /// Served clear.
    public static let disabled = EncryptionSettings(enabled: false)
}
