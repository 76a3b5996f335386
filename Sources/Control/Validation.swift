import Foundation

/// Field checks shared by the store's operations. Each throws `.invalid(field:reason:)` naming the
/// field as the API spells it.
enum Validate {
    /// A human label: trimmed, length in `range` (in characters), no control characters (they
    /// would corrupt logs and the back-office).
    static func label(_ value: String, field: String, range: ClosedRange<Int>) throws(ControlError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard range.contains(trimmed.count) else {
            throw .invalid(field: field, reason: "must be \(range.lowerBound)...\(range.upperBound) characters")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid(field: field, reason: "must not contain control characters")
        }
        return trimmed
    }

    /// A channel name: `[A-Za-z0-9_-]{1,64}`, because it is a URL path segment and a directory name.
    static func channelName(_ value: String) throws(ControlError) -> String {
        guard ControlLimits.channelNameLength.contains(value.utf8.count) else {
            throw .invalid(
                field: "name",
                reason: "must be \(ControlLimits.channelNameLength.lowerBound)...\(ControlLimits.channelNameLength.upperBound) characters"
            )
        }
        guard value.utf8.allSatisfy(isChannelNameByte) else {
            throw .invalid(field: "name", reason: "only letters A-Z a-z, digits, '_' and '-' are allowed")
        }
        return value
    }

    static func isChannelNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x5F || byte == 0x2D
    }

    /// A ladder: opaque to the store (the transcoder parses it), but bounded and not blank.
    static func ladder(_ value: String) throws(ControlError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard ControlLimits.ladderLength.contains(trimmed.utf8.count) else {
            throw .invalid(
                field: "ladder",
                reason: "must be \(ControlLimits.ladderLength.lowerBound)...\(ControlLimits.ladderLength.upperBound) bytes"
            )
        }
        return trimmed
    }

    static func archive(_ value: ArchiveSettings) throws(ControlError) -> ArchiveSettings {
        if let seconds = value.retentionSeconds, !ControlLimits.retentionSeconds.contains(seconds) {
            throw .invalid(
                field: "archive.retentionSeconds",
                reason: "must be \(ControlLimits.retentionSeconds.lowerBound)...\(ControlLimits.retentionSeconds.upperBound)"
            )
        }
        if let bytes = value.retentionBytes, !ControlLimits.retentionBytes.contains(bytes) {
            throw .invalid(
                field: "archive.retentionBytes",
                reason: "must be \(ControlLimits.retentionBytes.lowerBound)...\(ControlLimits.retentionBytes.upperBound)"
            )
        }
        return value
    }

    /// An absolute http or https URL with a host, at most ``ControlLimits/urlLength``, that is a URI
    /// as RFC 3986 spells one: the document promises `format: uri`, and receivers and players parse
    /// it as one.
    static func httpURL(_ value: String, field: String) throws(ControlError) -> String {
        guard ControlLimits.urlLength.contains(value.utf8.count) else {
            throw .invalid(field: field, reason: "must be \(ControlLimits.urlLength.lowerBound)...\(ControlLimits.urlLength.upperBound) bytes")
        }
        guard let components = URLComponents(string: value),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else {
            throw .invalid(field: field, reason: "must be an http or https URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalid(field: field, reason: "must name a host")
        }
        guard value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw .invalid(field: field, reason: "must be printable ASCII without spaces (percent-encode the rest)")
        }
        guard isURI(Array(value.utf8)) else {
            throw .invalid(field: field, reason: "must be a URI (RFC 3986): percent-encode characters such as {}<>|\\^` and a % not followed by two hex digits")
        }
        return value
    }

    /// Whether printable ASCII `bytes` keep to RFC 3986's syntax where URL parsers are lenient:
    /// only unreserved, reserved and `%` characters (§2), `%` followed by two hex digits (§2.1),
    /// `[` and `]` only in the authority, around an IP literal (§3.2.2), and one `#` at most (§3.5).
    static func isURI(_ bytes: [UInt8]) -> Bool {
        // The authority runs from after "//" to the first "/", "?" or "#" (§3.2).
        let authorityStart = (bytes.firstIndex(of: UInt8(ascii: ":")) ?? 0) + 3
        let authorityEnd = bytes[min(authorityStart, bytes.count)...].firstIndex {
            $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
        } ?? bytes.count
        var fragment = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.count, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) else { return false }
                index += 2
            case UInt8(ascii: "["), UInt8(ascii: "]"):
                guard index >= authorityStart, index < authorityEnd else { return false }
            case UInt8(ascii: "#"):
                guard !fragment else { return false }
                fragment = true
            default:
                guard isURIByte(byte) else { return false }
            }
            index += 1
        }
        return true
    }

    /// RFC 3986 §2.2 and §2.3: ALPHA, DIGIT, `-._~` and `:/?@!$&'()*+,;=` (`#[]%` are checked
    /// where they may appear).
    private static func isURIByte(_ byte: UInt8) -> Bool {
        isChannelNameByte(byte) || "._~:/?@!$&'()*+,;=".utf8.contains(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    static func eventTimes(startsAt: Date, endsAt: Date) throws(ControlError) {
        guard endsAt > startsAt else {
            throw .invalid(field: "endsAt", reason: "must be later than startsAt")
        }
        guard endsAt.timeIntervalSince(startsAt) <= Double(ControlLimits.eventMaximumDurationSeconds) else {
            throw .invalid(field: "endsAt", reason: "an event lasts at most \(ControlLimits.eventMaximumDurationSeconds / 86_400) days")
        }
    }

    static func webhookEvents(_ events: Set<WebhookEvent>) throws(ControlError) -> Set<WebhookEvent> {
        guard !events.isEmpty else { throw .invalid(field: "events", reason: "subscribe to at least one event") }
        return events
    }

    /// A webhook payload: a JSON object or array, at most ``ControlLimits/webhookPayloadBytes``.
    static func payload(_ value: String) throws(ControlError) -> String {
        guard value.utf8.count <= ControlLimits.webhookPayloadBytes else {
            throw .invalid(field: "payload", reason: "must be at most \(ControlLimits.webhookPayloadBytes) bytes")
        }
        guard (try? JSONSerialization.jsonObject(with: Data(value.utf8))) != nil else {
            throw .invalid(field: "payload", reason: "must be JSON")
        }
        return value
    }
}
