import Foundation

/// Timestamps on the wire: RFC 3339 (the ISO 8601 profile), in UTC with milliseconds on output,
/// for example `2025-06-01T18:00:00.000Z`. Input takes any RFC 3339 date-time, with or without
/// fractional seconds, with `Z` or a numeric offset.
enum APIDate {
    static func format(_ date: Date) -> String {
        // Records carry whole milliseconds (see `Date.millisecondRounded`). Split the integer
        // millisecond count instead of formatting the Double, which would show 1.123 s as
        // "1.122" when the binary value sits just below.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let whole = seconds - (fraction < 0 ? 1 : 0)
        let millis = fraction < 0 ? fraction + 1000 : fraction
        let text = Date(timeIntervalSince1970: Double(whole)).formatted(.iso8601)
        // `.iso8601` renders `yyyy-MM-ddTHH:mm:ssZ`: put the milliseconds before the `Z`.
        let padded = String(millis + 1000).dropFirst()
        return text.dropLast() + "." + padded + "Z"
    }

    static func parse(_ text: String) -> Date? {
        // RFC 3339 §5.6: full-date "T" full-time, where full-time needs a time zone. The
        // "T" is checked here because the parser below would also accept a bare date.
        let bytes = Array(text.utf8.prefix(maximumLength + 1))
        guard bytes.count <= maximumLength, bytes.count >= 20, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") else {
            return nil
        }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) {
            return date
        }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    /// `2025-06-01T18:00:00.123456789+14:00` is 35 characters; 64 bounds what the parser sees.
    static let maximumLength = 64

    /// What an error message shows as an example.
    static let example = "2025-06-01T18:00:00Z"
}
