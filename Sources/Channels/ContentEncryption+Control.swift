import Control
import Delivery

extension ContentEncryption {
    /// Playback's view of a control-plane channel's encryption: nil when it is off.
    init?(_ settings: EncryptionSettings) {
        guard settings.enabled else { return nil }
        let scheme: ContentEncryption.Scheme = switch settings.scheme {
        case .aes128: .aes128
        case .cbcs: .cbcs
        }
        self.init(rotationSegments: settings.rotationSegments, keyServer: settings.keyServer, scheme: scheme)
    }
}
