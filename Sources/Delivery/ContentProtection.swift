/// What playback needs to encrypt: each channel's ``ContentEncryption`` (asked on every request,
/// so a change through the API applies at once), its keys and the encrypted objects served lately.
public struct ContentProtection: Sendable {
    let encryption: @Sendable (String) -> ContentEncryption?
    let keys: ContentKeys?
    let objects = EncryptedObjects()

    /// - Parameters:
    ///   - encryption: a channel's encryption by name; nil: served clear.
    ///   - keys: the keys; without them an encrypted channel's keys and media answer 503.
    public init(keys: ContentKeys?, encryption: @escaping @Sendable (String) -> ContentEncryption?) {
        self.keys = keys
        self.encryption = encryption
    }

    /// Every channel clear.
    public static let none = ContentProtection(keys: nil) { _ in nil }
}
