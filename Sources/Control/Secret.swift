import Crypto
import Foundation

/// A clear-text secret (an API token, a stream key, a webhook signing secret) as handed to its owner
/// once, at creation. Its `description`, `debugDescription` and mirror are redacted, so it can be
/// put in a log line or a `dump` by mistake without leaking; only ``value`` reveals it.
public struct Secret: Sendable, Hashable {
    /// The clear text. Show it to the user once; never log it, never store it.
    public let value: String

    public init(_ value: String) {
        self.value = value
    }
}

extension Secret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "Secret(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// The formats of the secrets the control plane mints, and their one-way hashes.
enum SecretFormat {
    /// API tokens: `ant_` + 32 random bytes, base64url (256 bits, as a SHA-256 key).
    static let apiTokenPrefix = "ant_"
    static let apiTokenRandomBytes = 32
    /// Stream keys: `sk_` + 24 random bytes, base64url (192 bits; short enough to paste into an
    /// encoder's key field, far beyond guessing).
    static let streamKeyPrefix = "sk_"
    static let streamKeyRandomBytes = 24
    /// Webhook signing secrets: `whsec_` + 32 random bytes, base64url (an HMAC-SHA256 key).
    static let webhookSecretPrefix = "whsec_"
    static let webhookSecretRandomBytes = 32

    /// The longest secret we hash when looking one up: anything longer cannot be one of ours, so
    /// it is rejected before hashing (a request header is hostile input).
    static let maximumPresentedLength = 128

    static func make(prefix: String, randomBytes: Int) -> Secret {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<randomBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Secret(prefix + Base64URL.encode(bytes))
    }

    /// The stored form of a token or key: lowercase hex of SHA-256 of its UTF-8 bytes. The secrets
    /// are 192+ random bits, so an unsalted fast hash is enough: there is nothing to brute-force.
    static func hash(_ secret: String) -> String {
        let digest = SHA256.hash(data: Data(secret.utf8))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Compares two strings in time that depends on their lengths only, not on where they differ.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }
}

/// RFC 4648 §5 base64url without padding, for secrets and page cursors.
enum Base64URL {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.allSatisfy({ byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F
        }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = base64.count % 4
        guard remainder != 1 else { return nil }
        if remainder > 0 { base64 += String(repeating: "=", count: 4 - remainder) }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return Array(data)
    }
}
