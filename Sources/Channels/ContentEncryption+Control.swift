import Control
import Delivery

extension ContentEncryption {
    /// Playback's view of a control-plane channel's encryption: nil when it is off.
    init?(_ settings: EncryptionSettings) {
        guard settings.enabled else { return nil }
        self.init(rotationSegments: settings.rotationSegments, keyServer: settings.keyServer)
    }
}
