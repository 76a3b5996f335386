/// Checks of a channel's encryption settings.
extension Validate {
    /// A channel's encryption: a rotation in ``ControlLimits/encryptionRotationSegments``, and a
    /// key server that is an http or https URL.
    static func encryption(_ value: EncryptionSettings) throws(ControlError) -> EncryptionSettings {
        let range = ControlLimits.encryptionRotationSegments
        guard range.contains(value.rotationSegments) else {
            throw .invalid(field: "encryption.rotationSegments", reason: "must be \(range.lowerBound)...\(range.upperBound)")
        }
        var valid = value
        valid.keyServer = try value.keyServer.map { server throws(ControlError) in try httpURL(server, field: "encryption.keyServer") }
        return valid
    }
}
