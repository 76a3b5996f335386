import Control
import Foundation
import HTTPTypes
import Testing
import TestSupport

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

    /// Regression (issue "Control plane": schemathesis against the served document): webhook and
    /// poster URLs with characters a URI cannot hold (`{}`, `<>`, a bad `%`, a second `#`) were
    /// accepted and stored, and came back in answers whose schema says `format: uri`.
    @Test(arguments: Backend.allCases)
    func urlsMustBeURIs(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("posters", token: a.token)
            let event = try await api.expect(.created, .post, "channels/\(channel)/events", token: a.token, body: [
                "title": "t", "startsAt": "2030-01-01T00:00:00Z", "endsAt": "2030-01-01T01:00:00Z",
            ])
            let eventID = try #require(event["id"].string)
            let webhook = try await api.expect(.created, .post, "webhooks", token: a.token, body: [
                "url": "https://hooks.example.com/antenne", "events": ["stream.started"],
            ])
            let webhookID = try #require(webhook["id"].string)
            let notURIs = [
                "https://hooks.example.com/{channel}", "https://hooks.example.com/<x>", "https://hooks.example.com/a%zz",
                "https://hooks.example.com/a%2", "https://hooks.example.com/a#b#c", "https://hooks.example.com/[x]",
                "https://hooks.example.com/?q=a|b", "https://hooks.example.com/a\\b", "https://hooks.example.com/\"q\"",
                "https://hooks.example.com/^`",
            ]
            for url in notURIs {
                let created = try await api.call(.post, "webhooks", token: a.token, body: ["url": url, "events": ["stream.started"]])
                #expect(created.status == .badRequest, "\(url): \(created)")
                #expect(created.errorField == "url", "\(url): \(created)")
                let patched = try await api.call(.patch, "webhooks/\(webhookID)", token: a.token, body: ["url": url])
                #expect(patched.status == .badRequest, "\(url): \(patched)")
                let poster = try await api.call(.patch, "events/\(eventID)", token: a.token, body: ["posterUrl": url])
                #expect(poster.status == .badRequest, "\(url): \(poster)")
                #expect(poster.errorField == "posterUrl", "\(url): \(poster)")
            }
            let uris = [
                "http://[::1]:8080/hook", "https://user@hooks.example.com/~a/b-c_d.e", "https://hooks.example.com/a%2Fb?x=1&y=%C3%A9#top",
                "HTTPS://HOOKS.EXAMPLE.COM/!$&'()*+,;=:@",
            ]
            for url in uris {
                let created = try await api.call(.post, "webhooks", token: a.token, body: ["url": url, "events": ["stream.started"]])
                #expect(created.status == .created, "\(url): \(created)")
                #expect(created.json["url"].string == url)
                try await api.expect(.ok, .patch, "events/\(eventID)", token: a.token, body: ["posterUrl": url])
            }
        }
    }
}
