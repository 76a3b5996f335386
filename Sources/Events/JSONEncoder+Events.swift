import Foundation

extension JSONEncoder {
    /// The encoder of the JSON the server sends out (webhooks, the admission hook): sorted keys,
    /// unescaped slashes, dates as RFC 3339 with milliseconds.
    static func events() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            var container = encoder.singleValueContainer()
            try container.encode(formatter.string(from: date))
        }
        return encoder
    }
}
