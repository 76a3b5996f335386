import Delivery

extension ConfigFile {
    /// A channel's encryption in the configuration file: `{"rotationSegments": 30}`, or with
    /// `"keyServer": "https://keys.example.com/antenne"`. Present means on.
    struct EncryptionEntry: Decodable {
        var rotationSegments: Int?
        var keyServer: String?

        func encryption(channel: String) throws -> ContentEncryption {
            let rotation = rotationSegments ?? EncryptionOptions.defaultRotation
            guard ContentEncryption.rotationRange.contains(rotation) else {
                throw ConfigError("channel \(channel): encryption.rotationSegments is \(ContentEncryption.rotationRange.lowerBound) to \(ContentEncryption.rotationRange.upperBound)")
            }
            if let keyServer, !(keyServer.hasPrefix("http://") || keyServer.hasPrefix("https://")) {
                throw ConfigError("channel \(channel): encryption.keyServer is an http:// or https:// URL")
            }
            return ContentEncryption(rotationSegments: rotation, keyServer: keyServer)
        }
    }
}
