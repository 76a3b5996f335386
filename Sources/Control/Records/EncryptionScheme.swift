/// How an encrypted channel's media is encrypted (README "Encryption").
public enum EncryptionScheme: String, Sendable, Hashable, Codable, CaseIterable {
    /// HLS `METHOD=AES-128`: each segment and part encrypted whole (HLS only).
    case aes128 = "aes-128"
    /// Common encryption `cbcs` (ISO/IEC 23001-7): the samples inside the fragments, for HLS
    /// (`METHOD=SAMPLE-AES`) and DASH, decrypted by players with EME.
    case cbcs
}
