import Control
import Foundation
import HTTPTypes
import Testing
import TestSupport

/// A token of organisation A gets 404 for everything of organisation B, never 403, so it cannot
/// even learn that B's resources exist; and B's resources are untouched afterwards.
@Suite struct IsolationTests {
    @Test(arguments: Backend.allCases)
    func anotherOrganisationsResourcesAre404(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let b = try await api.organisation("B")

            // B's resources, made with B's token.
            let channel = try await api.channel("b-channel", token: b.token)
            let key = try await api.expect(.created, .post, "channels/\(channel)/keys", token: b.token, body: ["label": "OBS"])
            let keyID = try #require(key["id"].string)
            let event = try await api.expect(.created, .post, "channels/\(channel)/events", token: b.token, body: [
                "title": "Final", "startsAt": "2030-06-01T18:00:00Z", "endsAt": "2030-06-01T20:00:00Z",
            ])
            let eventID = try #require(event["id"].string)
            let webhook = try await api.expect(.created, .post, "webhooks", token: b.token, body: [
                "url": "https://b.example.com/hook", "events": ["stream.started"],
            ])
            let webhookID = try #require(webhook["id"].string)
            let tokens = try await api.expect(.ok, .get, "organisations/\(b.id)/tokens", token: b.token)
            let tokenID = try #require(tokens["items"][0]["id"].string)

            let attempts: [(HTTPRequest.Method, String, [String: Any]?)] = [
                // organisation and tokens
                (.get, "organisations/\(b.id)", nil),
                (.patch, "organisations/\(b.id)", ["name": "taken over"]),
                (.get, "organisations/\(b.id)/tokens", nil),
                (.post, "organisations/\(b.id)/tokens", ["name": "backdoor", "role": "admin"]),
                (.get, "tokens/\(tokenID)", nil),
                (.delete, "tokens/\(tokenID)", nil),
                // channels
                (.get, "channels/\(channel)", nil),
                (.patch, "channels/\(channel)", ["visibility": "token"]),
                (.delete, "channels/\(channel)", nil),
                (.get, "channels?organisationId=\(b.id)", nil),
                (.post, "channels", ["name": "in-b", "organisationId": b.id]),
                // keys
                (.get, "channels/\(channel)/keys", nil),
                (.post, "channels/\(channel)/keys", ["label": "mine now"]),
                (.get, "keys/\(keyID)", nil),
                (.post, "keys/\(keyID)/rotate", nil),
                (.delete, "keys/\(keyID)", nil),
                // events
                (.get, "channels/\(channel)/events", nil),
                (.post, "channels/\(channel)/events", ["title": "x", "startsAt": "2030-01-01T00:00:00Z", "endsAt": "2030-01-01T01:00:00Z"]),
                (.get, "events/\(eventID)", nil),
                (.patch, "events/\(eventID)", ["title": "changed"]),
                (.delete, "events/\(eventID)", nil),
                // webhooks
                (.get, "webhooks/\(webhookID)", nil),
                (.patch, "webhooks/\(webhookID)", ["active": false]),
                (.delete, "webhooks/\(webhookID)", nil),
                (.get, "webhooks/\(webhookID)/deliveries", nil),
                (.get, "webhooks?organisationId=\(b.id)", nil),
                (.post, "webhooks", ["url": "https://a.example.com", "events": ["stream.started"], "organisationId": b.id]),
            ]
            for (method, path, body) in attempts {
                let answer = try await api.call(method, path, token: a.token, body: body)
                #expect(answer.status == .notFound, "\(method.rawValue) \(path): \(answer)")
                #expect(answer.errorCode == "not_found")
                try checkErrorBody(answer)
                // The answer is the same as for an id that does not exist at all.
                let unknown = path.replacingOccurrences(of: b.id, with: unknownID())
                    .replacingOccurrences(of: channel, with: unknownID())
                    .replacingOccurrences(of: keyID, with: unknownID())
                    .replacingOccurrences(of: eventID, with: unknownID())
                    .replacingOccurrences(of: webhookID, with: unknownID())
                    .replacingOccurrences(of: tokenID, with: unknownID())
                let control = try await api.call(method, unknown, token: a.token, body: body)
                #expect(control.status == .notFound, "\(method.rawValue) \(unknown): \(control)")
            }

            // A's lists do not show B's resources.
            for path in ["channels", "webhooks", "organisations"] {
                let list = try await api.expect(.ok, .get, path, token: a.token)
                let ids = list["items"].array?.compactMap { $0["id"].string } ?? []
                #expect(!ids.contains(channel) && !ids.contains(webhookID) && !ids.contains(b.id), "\(path)")
            }

            // B's resources are untouched.
            let stillChannel = try await api.expect(.ok, .get, "channels/\(channel)", token: b.token)
            #expect(stillChannel["visibility"].string == "public")
            #expect(try await api.expect(.ok, .get, "keys/\(keyID)", token: b.token)["revokedAt"].isNull)
            #expect(try await api.expect(.ok, .get, "events/\(eventID)", token: b.token)["title"].string == "Final")
            #expect(try await api.expect(.ok, .get, "webhooks/\(webhookID)", token: b.token)["active"].bool == true)
            #expect(try await api.expect(.ok, .get, "tokens/\(tokenID)", token: b.token)["revokedAt"].isNull)
            #expect(try await api.expect(.ok, .get, "organisations/\(b.id)", token: b.token)["name"].string == "B")
            let bTokens = try await api.expect(.ok, .get, "organisations/\(b.id)/tokens", token: b.token)
            #expect(bTokens["items"].array?.count == 1)
            let bChannels = try await api.expect(.ok, .get, "channels", token: b.token)
            #expect(bChannels["items"].array?.count == 1)
        }
    }
}
