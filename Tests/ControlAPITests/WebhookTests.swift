import Control
import Foundation
import HTTPTypes
import Testing

@Suite struct WebhookTests {
    @Test(arguments: Backend.allCases)
    func webhookRoundTripAndDeliveries(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let created = try await api.call(.post, "webhooks", token: a.token, body: [
                "url": "https://hooks.example.com/antenne",
                "events": ["stream.stopped", "stream.started", "stream.started"],
            ])
            #expect(created.status == .created)
            expectConforms(created.json, to: "CreatedWebhook")
            let id = try #require(created.json["id"].string)
            let secret = try #require(created.json["secret"].string)
            #expect(secret.hasPrefix("whsec_"))
            #expect(created.json["events"] == .array([.string("stream.started"), .string("stream.stopped")]))
            #expect(created.json["active"].bool == true)
            #expect(created.json["organisationId"].string == a.id)

            let fetched = try await api.call(.get, "webhooks/\(id)", token: a.token)
            expectConforms(fetched.json, to: "Webhook")
            #expect(!fetched.text.contains(secret))
            let list = try await api.call(.get, "webhooks", token: a.token)
            expectConforms(list.json, to: "WebhookPage")
            #expect(list.json["items"].array?.count == 1)
            #expect(!list.text.contains(secret))

            let patched = try await api.expect(.ok, .patch, "webhooks/\(id)", token: a.token, body: [
                "events": ["transcoder.failed"], "active": false,
            ])
            #expect(patched["events"] == .array([.string("transcoder.failed")]))
            #expect(patched["active"].bool == false)
            #expect(patched["url"] == created.json["url"])
            try await api.expect(.ok, .patch, "webhooks/\(id)", token: a.token, body: ["active": true])

            // The outbox log.
            let empty = try await api.expect(.ok, .get, "webhooks/\(id)/deliveries", token: a.token)
            #expect(empty["items"].array == [])
            let organisation = try #require(UUID(uuidString: a.id))
            let queued = try await api.store.enqueue(.transcoderFailed, organisation: organisation, payload: #"{"channel":"demo"}"#)
            #expect(queued.count == 1)
            let deliveries = try await api.call(.get, "webhooks/\(id)/deliveries", token: a.token)
            expectConforms(deliveries.json, to: "DeliveryPage")
            let delivery = deliveries.json["items"][0]
            #expect(delivery["event"].string == "transcoder.failed")
            #expect(delivery["payload"].string == #"{"channel":"demo"}"#)
            #expect(delivery["state"].string == "pending")
            #expect(delivery["attempts"].int == 0)
            #expect(!deliveries.text.contains(secret))

            try await api.expect(.noContent, .delete, "webhooks/\(id)", token: a.token)
            try await api.expect(.notFound, .get, "webhooks/\(id)", token: a.token)
            try await api.expect(.notFound, .get, "webhooks/\(id)/deliveries", token: a.token)
        }
    }

    @Test(arguments: Backend.allCases)
    func webhookValidationNamesTheField(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let cases: [([String: Any], String)] = [
                (["url": "ftp://example.com", "events": ["stream.started"]], "url"),
                (["url": "https://example.com", "events": []], "events"),
                (["url": "https://example.com", "events": ["stream.started", "stream.paused"]], "events[1]"),
                (["url": "https://example.com", "events": "stream.started"], "events"),
                (["url": "https://example.com"], "events"),
                (["events": ["stream.started"]], "url"),
                (["url": "https://example.com", "events": ["stream.started"], "active": "yes"], "active"),
            ]
            for (body, field) in cases {
                let answer = try await api.call(.post, "webhooks", token: a.token, body: body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.errorCode == "invalid")
                #expect(answer.errorField == field, "\(body): \(answer)")
                #expect(answer.errorMessage.hasPrefix(field), "\(answer)")
            }
        }
    }
}
