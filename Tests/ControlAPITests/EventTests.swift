import Control
import Foundation
import HTTPTypes
import Testing
import TestSupport

@Suite struct EventTests {
    @Test(arguments: Backend.allCases)
    func eventRoundTrip(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("talks", token: a.token)
            let created = try await api.call(.post, "channels/\(channel)/events", token: a.token, body: [
                "title": "Opening keynote",
                "startsAt": "2030-06-01T09:00:00+02:00",
                "endsAt": "2030-06-01T08:00:00.250Z",
                "posterUrl": "https://example.com/keynote.jpg",
            ])
            #expect(created.status == .created)
            expectConforms(created.json, to: "Event")
            let id = try #require(created.json["id"].string)
            #expect(created.headers[.location] == "/api/v1/events/\(id)")
            // Offsets are normalised to UTC, with milliseconds.
            #expect(created.json["startsAt"].string == "2030-06-01T07:00:00.000Z")
            #expect(created.json["endsAt"].string == "2030-06-01T08:00:00.250Z")
            #expect(created.json["posterUrl"].string == "https://example.com/keynote.jpg")
            #expect(created.json["channelId"].string == channel)

            #expect(try await api.expect(.ok, .get, "events/\(id)", token: a.token) == created.json)
            let list = try await api.expect(.ok, .get, "channels/\(channel)/events", token: a.token)
            expectConforms(list, to: "EventPage")
            #expect(list["items"].array == [created.json])

            // null removes the poster; absent fields stay.
            let patched = try await api.expect(.ok, .patch, "events/\(id)", token: a.token, body: ["posterUrl": NSNull(), "title": "Keynote"])
            #expect(patched["posterUrl"].isNull)
            #expect(patched["title"].string == "Keynote")
            #expect(patched["startsAt"] == created.json["startsAt"])

            // The resulting times are checked together.
            let backwards = try await api.call(.patch, "events/\(id)", token: a.token, body: ["endsAt": "2030-06-01T06:00:00Z"])
            #expect(backwards.status == .badRequest)
            #expect(backwards.errorField == "endsAt")

            try await api.expect(.noContent, .delete, "events/\(id)", token: a.token)
            try await api.expect(.notFound, .get, "events/\(id)", token: a.token)
        }
    }

    @Test(arguments: Backend.allCases)
    func deletingAChannelDeletesItsEvents(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("talks", token: a.token)
            let event = try await api.expect(.created, .post, "channels/\(channel)/events", token: a.token, body: [
                "title": "Talk", "startsAt": "2030-06-01T09:00:00Z", "endsAt": "2030-06-01T10:00:00Z",
            ])
            try await api.expect(.noContent, .delete, "channels/\(channel)", token: a.token)
            try await api.expect(.notFound, .get, "events/\(try #require(event["id"].string))", token: a.token)
        }
    }
}
