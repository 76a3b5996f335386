/// A named HMAC-SHA256 key for playback tokens. The id travels in each token so the server can
/// hold several keys while it rotates them; the secret never leaves the server.
public struct PlaybackKey: Sendable, Hashable, CustomStringConvertible {
    public let id: String
    let secret: [UInt8]

    /// Key ids: 1 to 32 letters, digits, `.`, `_` or `-` (a date or a counter is enough).
    public static let idLength = 1...32
    /// Secrets: at least the HMAC-SHA256 output length, 32 bytes (RFC 2104 §3 calls shorter keys
    /// weak); at most 256 bytes, past which a value is more likely a mistake than a key.
    public static let secretLength = 32...256

    public init(id: String, secret: [UInt8]) throws(DeliveryError) {
        guard Self.isValidID(id) else { throw .invalidKeyID(id) }
        guard Self.secretLength.contains(secret.count) else { throw .secretLength(keyID: id, bytes: secret.count) }
        self.id = id
        self.secret = secret
    }

    /// `ID:SECRET`, the secret in hex (an even number of hex digits) or else base64 (standard or
    /// URL alphabet, padding optional).
    public init(spec: String) throws(DeliveryError) {
        guard let colon = spec.firstIndex(of: ":") else { throw .malformedKeySpec }
        let id = String(spec[..<colon])
        guard Self.isValidID(id) else { throw .invalidKeyID(id) }
        guard let secret = Self.decodeSecret(spec[spec.index(after: colon)...]) else { throw .unreadableSecret(keyID: id) }
        try self.init(id: id, secret: secret)
    }

    /// Never shows the secret, so a key can be logged or printed by mistake without harm.
    public var description: String { "PlaybackKey(\(id), \(secret.count) bytes)" }

    static func isValidID(_ id: String) -> Bool {
        idLength.contains(id.utf8.count) && id.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F || c == 0x2D
        }
    }

    static func decodeSecret(_ text: Substring) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty, utf8.count <= 4 * secretLength.upperBound else { return nil }
        if utf8.count % 2 == 0, utf8.allSatisfy({ hexValue($0) != nil }) {
            return stride(from: 0, to: utf8.count, by: 2).map { hexValue(utf8[$0])! << 4 | hexValue(utf8[$0 + 1])! }
        }
        var base64 = utf8
        while base64.last == UInt8(ascii: "=") { base64.removeLast() }
        let urlAlphabet = base64.map { c -> UInt8 in
            c == UInt8(ascii: "+") ? UInt8(ascii: "-") : c == UInt8(ascii: "/") ? UInt8(ascii: "_") : c
        }
        return Base64URL.decode(String(decoding: urlAlphabet, as: UTF8.self))
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// The server's playback keys, oldest first. Tokens are verified with the key they name and signed
/// with the newest, so a rotation is: add the new key last, wait until tokens signed with the old
/// one have expired, remove it.
public struct PlaybackKeys: Sendable, Hashable, CustomStringConvertible {
    public private(set) var keys: [PlaybackKey] = []

    public init() {}

    public init(_ keys: [PlaybackKey]) throws(DeliveryError) {
        for key in keys { try add(key) }
    }

    /// `(id, secret bytes)` pairs, oldest first.
    public init(_ pairs: [(id: String, secret: [UInt8])]) throws(DeliveryError) {
        for pair in pairs { try add(PlaybackKey(id: pair.id, secret: pair.secret)) }
    }

    /// `ID:SECRET` specs, oldest first (`--playback-key`, repeatable).
    public init(specs: [String]) throws(DeliveryError) {
        for spec in specs { try add(PlaybackKey(spec: spec)) }
    }

    /// `ANTENNE_PLAYBACK_KEY`: one or more `ID:SECRET` separated by commas or whitespace.
    public init(environmentValue: String) throws(DeliveryError) {
        let specs = environmentValue.split { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\t" }.map(String.init)
        try self.init(specs: specs)
    }

    public mutating func add(_ key: PlaybackKey) throws(DeliveryError) {
        guard self.key(id: key.id) == nil else { throw .duplicateKeyID(key.id) }
        keys.append(key)
    }

    public var isEmpty: Bool { keys.isEmpty }
    /// The key new tokens are signed with.
    public var newest: PlaybackKey? { keys.last }
    public func key(id: String) -> PlaybackKey? { keys.first { $0.id == id } }
    public var description: String { "PlaybackKeys(\(keys.map(\.id).joined(separator: ", ")))" }
}
