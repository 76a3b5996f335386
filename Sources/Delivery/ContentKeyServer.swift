import Foundation

/// An external key server (the idea of SPEKE, much simplified): asked
/// `GET {server}?channel={name}&period={n}`, it answers the 16 key bytes raw
/// (`application/octet-stream`) or as JSON `{"key": "<32 hex digits or base64>"}`
/// (README, Encryption). The server wiring gives the HTTP client.
public protocol ContentKeyServer: Sendable {
    /// The key of `channel`'s key period `period` from `server`; throws when it does not answer
    /// a usable key in time.
    func key(server: String, channel: String, period: Int) async throws -> [UInt8]
}

/// The HTTP contract of ``ContentKeyServer``, for the client that speaks it.
public enum ContentKeyServerContract {
    /// The request URL of the contract: `server` with `channel` and `period` added to its query.
    public static func url(server: String, channel: String, period: Int) -> String {
        "\(server)\(server.contains("?") ? "&" : "?")channel=\(channel)&period=\(period)"
    }

    /// The key in a key server's answer: 16 raw bytes, or JSON with `key` in hex or base64.
    /// nil for anything else.
    public static func parseKey(_ body: [UInt8]) -> [UInt8]? {
        if body.count == 16 { return body }
        guard body.count <= maximumAnswerBytes, let text = String(validating: body, as: UTF8.self) else { return nil }
        // `{"key":"…"}`: the one field read, found without a JSON parser's allocations.
        guard let name = text.range(of: "\"key\""),
              let open = text[name.upperBound...].firstIndex(of: "\""),
              let close = text[text.index(after: open)...].firstIndex(of: "\"") else { return nil }
        let value = text[text.index(after: open)..<close]
        guard let key = PlaybackKey.decodeSecret(value), key.count == 16 else { return nil }
        return key
    }

    /// A key server's answer is 16 bytes or a small JSON object; 1 KiB leaves room for
    /// whitespace and other fields.
    public static let maximumAnswerBytes = 1024
}
