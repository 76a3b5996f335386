import Delivery

extension ConfigFile {
    /// A channel's encryption in the configuration file: `{"rotationSegments": 30}`, or with
    /// `"keyServer": "https://keys.example.com/antenne"`, and `"scheme": "cbcs"` for common
    /// encryption (default `"aes-128"`). Present means on.
    struct EncryptionEntry: Decodable {
        var rotationSegments: Int?
        var keyServer: String?
        var scheme: String?

        func encryption(channel: String) throws -> ContentEncryption {
            let rotation = rotationSegments ?? EncryptionOptions.defaultRotation
            guard ContentEncryption.rotationRange.contains(rotation) else {
                throw ConfigError("channel \(channel): encryption.rotationSegments is \(ContentEncryption.rotationRange.lowerBound) to \(ContentEncryption.rotationRange.upperBound)")
            }
            if let keyServer, !(keyServer.hasPrefix("http://") || keyServer.hasPrefix("https://")) {
                throw ConfigError("channel \(channel): encryption.keyServer is an http:// or https:// URL")
            }
            let names = ContentEncryption.Scheme.allCases.map(\.rawValue).joined(separator: ", ")
            guard let scheme = ContentEncryption.Scheme(rawValue: scheme ?? ContentEncryption.Scheme.aes128.rawValue) else {
                throw ConfigError("channel \(channel): encryption.scheme is one of \(names)")
            }
            return ContentEncryption(rotationSegments: rotation, keyServer: keyServer, scheme: scheme)
        }
    }
}
