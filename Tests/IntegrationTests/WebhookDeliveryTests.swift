import AntenneServer
import Control
import Foundation
import Testing
import TestSupport

/// Control plane, webhooks (issue "Control plane", item 5): a publish on a control-plane channel
/// reaches a real receiver as signed `stream.started` and `stream.stopped` POSTs; a receiver that
/// fails gets the same delivery again.
@Suite(.serialized) struct WebhookDeliveryTests {
    @Test(arguments: Backend.allCases)
    func aPublishSendsSignedStreamStartedThenStreamStopped(database: Backend) async throws {
        let receiver = try await WebhookReceiver.start()
        let server = try await TestServer.start(channels: [], database: database)
        let store = try #require(server.server.controlStore)
        let organisation = try await store.createOrganisation(name: "Federation", scope: .serverAdmin)
        let channel = try await store.createChannel(organisation: organisation.id, NewChannel(name: "hooked1"), scope: .serverAdmin)
        let key = try await store.createStreamKey(channel: channel.id, label: "main", scope: .serverAdmin)
        let hook = try await store.createWebhook(
            organisation: organisation.id, NewWebhook(url: receiver.url, events: [.streamStarted, .streamStopped]),
            scope: .serverAdmin)

        let publisher = try Publisher.start(url: server.publishURL(key: key.secret.value))
        defer { publisher.kill() }
        let started = try await receiver.waitFor { $0.header("Antenne-Event") == "stream.started" }

        #expect(started.header("Content-Type") == "application/json")
        #expect(started.header("Antenne-Delivery").flatMap(UUID.init(uuidString:)) != nil)
        let signature = try #require(started.header("Antenne-Signature"))
        #expect(signature.hasPrefix("t="))
        #expect(WebhookSignature.verify(header: signature, body: started.body, secret: hook.secret.value))
        #expect(!WebhookSignature.verify(header: signature, body: started.body, secret: "whsec_wrong"))
        #expect(!WebhookSignature.verify(header: signature, body: started.body + " ", secret: hook.secret.value))

        let json = try #require(try JSONSerialization.jsonObject(with: Data(started.body.utf8)) as? [String: Any])
        #expect(json["type"] as? String == "stream.started")
        #expect((json["id"] as? String).flatMap(UUID.init(uuidString:)) != nil)
        #expect(json["organisationId"] as? String == organisation.id.uuidString)
        let reference = try #require(json["channel"] as? [String: Any])
        #expect(reference["id"] as? String == channel.id.uuidString)
        #expect(reference["name"] as? String == "hooked1")
        let createdAt = try #require(json["createdAt"] as? String)
        #expect(ISO8601DateFormatter.withFractionalSeconds.date(from: createdAt) != nil)

        publisher.kill()
        _ = await publisher.wait(timeout: .seconds(5))
        let stopped = try await receiver.waitFor { $0.header("Antenne-Event") == "stream.stopped" }
        #expect(WebhookSignature.verify(header: try #require(stopped.header("Antenne-Signature")), body: stopped.body, secret: hook.secret.value))
        #expect(stopped.body.contains(#""type":"stream.stopped""#))
        #expect(stopped.header("Antenne-Delivery") != started.header("Antenne-Delivery"))

        // Both recorded as delivered in the outbox, after one attempt each.
        try await Self.waitUntil { try await store.deliveries(webhook: hook.webhook.id, scope: .serverAdmin).items.allSatisfy { $0.state == .delivered } }
        let log = try await store.deliveries(webhook: hook.webhook.id, scope: .serverAdmin).items
        #expect(Set(log.map(\.event)) == [.streamStarted, .streamStopped])
        #expect(log.allSatisfy { $0.attempts == 0 })
        // Exactly one of each: no duplicate start from the session's later `.tracks`.
        #expect(receiver.received.count == 2)
        try await server.stop()
        await receiver.stop()
    }

    @Test func aFailedDeliveryIsRetriedWithTheSameIDAndSignedAgain() async throws {
        let receiver = try await WebhookReceiver.start(answering: [500])
        let log = LogCapture()
        let server = try await TestServer.start(channels: [], logger: log.logger()) { config in
            config.webhooks.backoff = { _ in 0.3 }
            config.webhooks.pollInterval = .milliseconds(100)
        }
        let store = try #require(server.server.controlStore)
        let organisation = try await store.createOrganisation(name: "Retries", scope: .serverAdmin)
        let hook = try await store.createWebhook(
            organisation: organisation.id, NewWebhook(url: receiver.url, events: [.streamStarted]), scope: .serverAdmin)
        // Straight into the outbox, as one queued before a restart would be: the sender's poll finds it.
        let payload = #"{"type":"stream.started","id":"\#(UUID().uuidString)"}"#
        let queued = try #require(try await store.enqueue(.streamStarted, organisation: organisation.id, payload: payload).first)

        try await Self.waitUntil { receiver.received.count >= 2 }
        let attempts = receiver.received
        #expect(attempts.map { $0.header("Antenne-Delivery") } == [queued.id.uuidString, queued.id.uuidString])
        #expect(attempts.allSatisfy { $0.body == payload })
        #expect(attempts.allSatisfy { WebhookSignature.verify(header: $0.header("Antenne-Signature") ?? "", body: $0.body, secret: hook.secret.value) })
        let gap = attempts[1].receivedAt.timeIntervalSince(attempts[0].receivedAt)
        #expect(gap >= 0.25, "the retry waits for the backoff")

        try await Self.waitUntil { try await store.deliveries(webhook: hook.webhook.id, scope: .serverAdmin).items.first?.state == .delivered }
        let delivery = try #require(try await store.deliveries(webhook: hook.webhook.id, scope: .serverAdmin).items.first)
        #expect(delivery.attempts == 1)
        let error = try #require(delivery.lastError)
        #expect(error.hasPrefix("HTTP 500"))
        #expect(error.utf8.count <= 1_100, "the response body is read with a cap")
        try await Task.sleep(for: .milliseconds(500))
        #expect(receiver.received.count == 2, "a delivered event is not sent again")

        // The failure is logged with the URL's path but not its query, and neither the secret nor
        // the response body.
        let lines = log.text.split(separator: "\n").filter { $0.contains("webhook delivery failed") }
        #expect(lines.count == 1)
        #expect(lines.allSatisfy { $0.contains("127.0.0.1:\(receiver.port)/hook") && $0.contains("status=500") })
        #expect(lines.allSatisfy { !$0.contains("receiver-secret") && !$0.contains(hook.secret.value) && !$0.contains("answer 500") })
        try await server.stop()
        await receiver.stop()
    }

    static func waitUntil(
        timeout: Duration = .seconds(30), _ condition: @Sendable () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("condition not met within \(timeout)")
    }
}

extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
