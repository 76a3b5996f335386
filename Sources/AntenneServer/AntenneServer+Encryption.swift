import Delivery
import Logging

extension AntenneServer {
    /// What playback encrypts with: each running channel's encryption (as the control plane says),
    /// keys derived from the configured content key secret or fetched from the channel's key
    /// server. A configured channel encrypted without a key server needs the secret, so its
    /// absence stops the start; a channel encrypted through the API while there is none answers
    /// 503 for its keys and media (it is never served clear).
    static func contentProtection(
        _ configuration: ServerConfiguration, encryption: @escaping @Sendable (String) -> ContentEncryption?, logger: Logger
    ) throws -> ContentProtection {
        let derived = configuration.channels.filter { $0.encryption != nil && $0.encryption?.keyServer == nil }.map(\.name)
        if configuration.contentKeySecret == nil, !derived.isEmpty {
            throw DeliveryError.noContentKeySecret(channels: derived)
        }
        let keys = ContentKeys(secret: configuration.contentKeySecret, server: HTTPContentKeyServer(), logger: logger)
        return ContentProtection(keys: keys, encryption: encryption)
    }
}
