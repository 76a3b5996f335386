import Crypto
import Foundation

/// How a webhook POST is signed, and how a receiver checks it.
///
/// Every delivery carries these headers:
///
/// ```
/// Content-Type: application/json
/// Antenne-Event: stream.started
/// Antenne-Delivery: 5F1C2E0A-…            (the delivery's id: the same on every retry)
/// Antenne-Signature: t=1700000000,v1=cb129dbe15e602a5cf8834df28145caeaacbb0dd7752752405e312b778ff8ece
/// ```
///
/// (that signature is of the body `{"type":"stream.started"}` with the secret `whsec_test`.)
///
/// `t` is the Unix time of the attempt, in seconds; `v1` is the lowercase hex HMAC-SHA256 of
/// `"<t>.<body>"` (the raw request body bytes), keyed with the webhook's secret (`whsec_…`, its
/// UTF-8 bytes as given). This is the scheme Stripe uses, so existing receiver code ports easily.
///
/// A receiver should: take the raw body before any JSON parsing, recompute the HMAC, compare in
/// constant time, and refuse a `t` too far from its own clock (default 5 minutes) so a captured
/// request cannot be replayed later. A header may carry several `v1=` entries (one per secret
/// while secrets are rotated); one match is enough. ``verify(header:body:secret:now:tolerance:)``
/// does all of this.
public enum WebhookSignature {
    public static let signatureHeader = "Antenne-Signature"
    public static let eventHeader = "Antenne-Event"
    public static let deliveryHeader = "Antenne-Delivery"
    public static let contentType = "application/json"
    /// Version tag of the signature scheme above.
    public static let scheme = "v1"
    /// How far the signed time may be from the receiver's clock: 5 minutes, as Stripe's default,
    /// enough for clock skew and a slow network, short enough to limit replays.
    public static let defaultToleranceSeconds: Double = 300
    /// A longer header is not ours (one timestamp and a few 64-hex signatures fit in far less);
    /// it is refused before parsing.
    public static let maximumHeaderLength = 1_024

    /// The `Antenne-Signature` value for `body` signed at `timestamp` (Unix seconds).
    public static func header(body: some Sequence<UInt8>, secret: String, timestamp: Int64) -> String {
        "t=\(timestamp),\(scheme)=\(signature(body: body, secret: secret, timestamp: timestamp))"
    }

    /// The lowercase hex HMAC-SHA256 of `"<timestamp>.<body>"`.
    public static func signature(body: some Sequence<UInt8>, secret: String, timestamp: Int64) -> String {
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        let key = SymmetricKey(data: Array(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return hex(mac)
    }

    /// Every header a delivery is POSTed with, in order.
    public static func headers(
        event: WebhookEvent, deliveryID: UUID, body: some Sequence<UInt8>, secret: Secret, now: Date
    ) -> [(name: String, value: String)] {
        let timestamp = Int64(now.timeIntervalSince1970.rounded(.down))
        return [
            ("Content-Type", contentType),
            (eventHeader, event.rawValue),
            (deliveryHeader, deliveryID.uuidString),
            (signatureHeader, header(body: body, secret: secret.value, timestamp: timestamp)),
        ]
    }

    /// Whether `header` (an `Antenne-Signature` value) signs `body` with `secret`, at a time within
    /// `tolerance` seconds of `now`. Malformed headers are refused, not thrown about.
    public static func verify(
        header: String, body: some Sequence<UInt8>, secret: String,
        now: Date = Date(), tolerance: Double = defaultToleranceSeconds
    ) -> Bool {
        guard header.utf8.count <= maximumHeaderLength else { return false }
        var timestamp: Int64?
        var candidates: [String] = []
        for item in header.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return false }
            let key = pair[0].trimmingCharacters(in: .whitespaces)
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            switch key {
            case "t":
                guard timestamp == nil, let parsed = Int64(value) else { return false }
                timestamp = parsed
            case scheme:
                candidates.append(value)
            default:
                continue  // other schemes: ignored, as Stripe does, so new ones can be added
            }
        }
        guard let timestamp, !candidates.isEmpty else { return false }
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = signature(body: body, secret: secret, timestamp: timestamp)
        var matched = false
        for candidate in candidates where SecretFormat.constantTimeEquals(candidate.lowercased(), expected) {
            matched = true
        }
        return matched
    }

    /// `verify` for a body held as text (its UTF-8 bytes are what was signed).
    public static func verify(
        header: String, body: String, secret: String,
        now: Date = Date(), tolerance: Double = defaultToleranceSeconds
    ) -> Bool {
        verify(header: header, body: Array(body.utf8), secret: secret, now: now, tolerance: tolerance)
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
