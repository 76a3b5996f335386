import Control
import Foundation
import Testing

/// Control plane, webhooks (issue "Control plane", item 5): the Stripe-style signature, against
/// vectors computed independently (Python's hmac module).
@Suite struct WebhookSignatureTests {
    static let body = #"{"type":"stream.started"}"#
    static let secret = "whsec_test"
    static let timestamp: Int64 = 1_700_000_000
    static let expected = "t=1700000000,v1=cb129dbe15e602a5cf8834df28145caeaacbb0dd7752752405e312b778ff8ece"
    static let signedAt = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func signsTheTimestampAndBody() {
        #expect(WebhookSignature.header(body: Array(Self.body.utf8), secret: Self.secret, timestamp: Self.timestamp) == Self.expected)
    }

    @Test func signsASecondVector() {
        // python3: hmac.new(b"key", b"0.The quick brown fox jumps over the lazy dog", hashlib.sha256).hexdigest()
        let body = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(WebhookSignature.signature(body: body, secret: "key", timestamp: 0) == "8511f28f7a1949f0c42772b447d68b2daf760f5f0439a20a17e3b4e7cd395763")
    }

    @Test func headersCarryEventDeliveryAndSignature() {
        let id = UUID(uuidString: "5F1C2E0A-0000-4000-8000-000000000001")!
        let headers = WebhookSignature.headers(
            event: .streamStarted, deliveryID: id, body: Array(Self.body.utf8), secret: Secret(Self.secret),
            now: Self.signedAt.addingTimeInterval(0.9))
        #expect(headers.map(\.name) == ["Content-Type", "Antenne-Event", "Antenne-Delivery", "Antenne-Signature"])
        #expect(headers.map(\.value) == ["application/json", "stream.started", id.uuidString, Self.expected])
    }

    @Test func verifiesAValidSignature() {
        #expect(WebhookSignature.verify(header: Self.expected, body: Self.body, secret: Self.secret, now: Self.signedAt))
        #expect(WebhookSignature.verify(
            header: Self.expected, body: Self.body, secret: Self.secret, now: Self.signedAt.addingTimeInterval(299)))
    }

    @Test func refusesAWrongSecretBodyOrStaleTime() {
        #expect(!WebhookSignature.verify(header: Self.expected, body: Self.body, secret: "whsec_other", now: Self.signedAt))
        #expect(!WebhookSignature.verify(header: Self.expected, body: Self.body + " ", secret: Self.secret, now: Self.signedAt))
        #expect(!WebhookSignature.verify(
            header: Self.expected, body: Self.body, secret: Self.secret, now: Self.signedAt.addingTimeInterval(301)))
        #expect(!WebhookSignature.verify(
            header: Self.expected, body: Self.body, secret: Self.secret, now: Self.signedAt.addingTimeInterval(-301)))
    }

    @Test func acceptsAnyOfSeveralSignaturesAndIgnoresOtherSchemes() {
        let v1 = String(Self.expected.split(separator: ",")[1])
        let header = "t=1700000000,v0=abc,v1=\(String(repeating: "0", count: 64)),\(v1)"
        #expect(WebhookSignature.verify(header: header, body: Self.body, secret: Self.secret, now: Self.signedAt))
    }

    @Test(arguments: [
        "", "t=1700000000", "v1=cb12", "t=abc,v1=cb12", "t=1,t=2,v1=00", "garbage",
    ])
    func refusesMalformedHeaders(_ header: String) {
        #expect(!WebhookSignature.verify(header: header, body: Self.body, secret: Self.secret, now: Self.signedAt))
    }

    @Test func refusesAnOverlongHeaderEvenIfItHoldsTheSignature() {
        let padding = ",v0=" + String(repeating: "a", count: WebhookSignature.maximumHeaderLength)
        #expect(!WebhookSignature.verify(header: Self.expected + padding, body: Self.body, secret: Self.secret, now: Self.signedAt))
    }
}
