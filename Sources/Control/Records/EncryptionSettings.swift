/// How a channel's media is encrypted (README "Encryption"): off, or on with ``scheme`` (HLS
/// AES-128 by default, or `cbcs`) and a new key every ``rotationSegments`` segments, derived from
/// the server's content key secret or fetched from ``keyServer``.
public struct EncryptionSettings: Sendable, Hashable, Codable {
    public var enabled: Bool
    /// Segments per key: a new key every this many segments.
    public var rotationSegments: Int
    /// `GET {keyServer}?channel=…&period=…` gives each key; nil: the server derives them.
    public var keyServer: String?
    public var scheme: EncryptionScheme

    public init(
        enabled: Bool, rotationSegments: Int = EncryptionSettings.defaultRotationSegments, keyServer: String? = nil,
        scheme: EncryptionScheme = .aes128
    ) {
        self.enabled = enabled
        self.rotationSegments = rotationSegments
        self.keyServer = keyServer
        self.scheme = scheme
    }

    private enum CodingKeys: String, CodingKey {
        case enabled, rotationSegments, keyServer, scheme
    }

    /// Settings written before schemes existed have none: AES-128.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.decode(Bool.self, forKey: .enabled)
        rotationSegments = try container.decode(Int.self, forKey: .rotationSegments)
        keyServer = try container.decodeIfPresent(String.self, forKey: .keyServer)
        scheme = try container.decodeIfPresent(EncryptionScheme.self, forKey: .scheme) ?? .aes128
    }

    /// A new key every 30 segments: every minute with 2 s segments.
    public static let defaultRotationSegments = 30

    /// Served clear.
    public static let disabled = EncryptionSettings(enabled: false)
}
