/// What playback needs to encrypt: each channel's ``ContentEncryption`` (asked on every request,
/// so a change through the API applies at once), its keys and the encrypted objects served lately.
public struct ContentProtection: Sendable {
    let encryption: @Sendable (String) -> ContentEncryption?
    let keys: ContentKeys?
    /// The live windows hold the media encrypted already (an edge relay's hold its origin's
    /// bytes): served as they are, never encrypted again.
    let arrivesSealed: Bool
    let objects = EncryptedObjects()

    /// - Parameters:
    ///   - encryption: a channel's encryption by name; nil: served clear.
    ///   - keys: the keys; without them an encrypted channel's keys and media answer 503.
    public init(keys: ContentKeys?, encryption: @escaping @Sendable (String) -> ContentEncryption?) {
        self.init(keys: keys, arrivesSealed: false, encryption: encryption)
    }

    private init(keys: ContentKeys?, arrivesSealed: Bool, encryption: @escaping @Sendable (String) -> ContentEncryption?) {
        self.keys = keys
        self.arrivesSealed = arrivesSealed
        self.encryption = encryption
    }

    /// A relay's protection (an edge): `encryption` as its origin shows it, the media already
    /// encrypted by the origin, the keys asked of the origin (``PlaybackUpstream``).
    public static func relayed(encryption: @escaping @Sendable (String) -> ContentEncryption?) -> ContentProtection {
        ContentProtection(keys: nil, arrivesSealed: true, encryption: encryption)
    }

    /// Every channel clear.
    public static let none = ContentProtection(keys: nil) { _ in nil }
}
