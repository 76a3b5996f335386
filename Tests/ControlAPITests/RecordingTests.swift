import Control
import Foundation
import HTTPTypes
import Testing
import TestSupport

@Suite struct RecordingTests {
    @Test(arguments: Backend.allCases)
    func recordingRoundTrip(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("talks", token: a.token)
            let created = try await api.call(.post, "channels/\(channel)/recordings", token: a.token, body: [
                "title": "Day one",
                "startsAt": "2025-06-01T09:00:00+02:00",
                "endsAt": "2025-06-01T17:00:00.250Z",
            ])
            #expect(created.status == .created)
            expectConforms(created.json, to: "Recording")
            let id = try #require(created.json["id"].string)
            #expect(id == id.lowercased())
            #expect(created.headers[.location] == "/api/v1/recordings/\(id)")
            #expect(created.json["startsAt"].string == "2025-06-01T07:00:00.000Z")
            #expect(created.json["endsAt"].string == "2025-06-01T17:00:00.250Z")
            #expect(created.json["origin"].string == "api")
            #expect(created.json["retain"].bool == true)
            #expect(created.json["eventId"].isNull)
            #expect(created.json["channelId"].string == channel)
            #expect(created.json["playbackPath"].string == "/vod/\(id)/master.m3u8")

            #expect(try await api.expect(.ok, .get, "recordings/\(id)", token: a.token) == created.json)
            let list = try await api.expect(.ok, .get, "channels/\(channel)/recordings", token: a.token)
            expectConforms(list, to: "RecordingPage")
            #expect(list["items"].array == [created.json])

            let patched = try await api.expect(.ok, .patch, "recordings/\(id)", token: a.token, body: ["retain": false, "title": "Day 1"])
            #expect(patched["retain"].bool == false)
            #expect(patched["title"].string == "Day 1")
            #expect(patched["startsAt"] == created.json["startsAt"])

            let backwards = try await api.call(.patch, "recordings/\(id)", token: a.token, body: ["endsAt": "2025-06-01T06:00:00Z"])
            #expect(backwards.status == .badRequest)
            #expect(backwards.errorField == "endsAt")
            let nullTitle = try await api.call(.patch, "recordings/\(id)", token: a.token, body: ["title": NSNull()])
            #expect(nullTitle.status == .badRequest)
            #expect(nullTitle.errorField == "title")

            try await api.expect(.noContent, .delete, "recordings/\(id)", token: a.token)
            try await api.expect(.notFound, .get, "recordings/\(id)", token: a.token)
            try await api.expect(.notFound, .delete, "recordings/\(id)", token: a.token)
        }
    }

    @Test(arguments: Backend.allCases)
    func invalidRecordingsAre400(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("talks", token: a.token)
            let cases: [([String: Any], String)] = [
                (["startsAt": "2025-06-01T09:00:00Z", "endsAt": "2025-06-01T10:00:00Z"], "title"),
                (["title": "t", "endsAt": "2025-06-01T10:00:00Z"], "startsAt"),
                (["title": "t", "startsAt": "2025-06-01", "endsAt": "2025-06-01T10:00:00Z"], "startsAt"),
                (["title": "t", "startsAt": "2025-06-01T09:00:00Z", "endsAt": "2025-06-01T09:00:00Z"], "endsAt"),
                (["title": "t", "startsAt": "2025-06-01T09:00:00Z", "endsAt": "2025-07-03T09:00:00Z"], "endsAt"),
                (["title": "t", "startsAt": "2025-06-01T09:00:00Z", "endsAt": "2025-06-01T10:00:00Z", "retain": "yes"], "retain"),
                (["title": "t", "startsAt": "2025-06-01T09:00:00Z", "endsAt": "2025-06-01T10:00:00Z", "origin": "event"], "origin"),
            ]
            for (body, field) in cases {
                let answer = try await api.call(.post, "channels/\(channel)/recordings", token: a.token, body: body)
                #expect(answer.status == .badRequest, "\(body): \(answer)")
                #expect(answer.errorField == field, "\(body): \(answer)")
                try checkErrorBody(answer)
            }
            try await api.expect(.notFound, .post, "channels/\(unknownID())/recordings", token: a.token, body: [
                "title": "t", "startsAt": "2025-06-01T09:00:00Z", "endsAt": "2025-06-01T10:00:00Z",
            ])
            try await api.expect(.notFound, .get, "channels/\(unknownID())/recordings", token: a.token)
            try await api.expect(.notFound, .get, "recordings/not-a-uuid", token: a.token)
            let badLimit = try await api.call(.get, "channels/\(channel)/recordings?limit=0", token: a.token)
            #expect(badLimit.status == .badRequest)
        }
    }

    @Test(arguments: Backend.allCases)
    func anEventHasARecordingThatOutlivesIt(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("sport", token: a.token)
            let event = try await api.expect(.created, .post, "channels/\(channel)/events", token: a.token, body: [
                "title": "Final", "startsAt": "2030-06-01T18:00:00Z", "endsAt": "2030-06-01T20:00:00Z",
            ])
            let eventID = try #require(event["id"].string)
            let list = try await api.expect(.ok, .get, "channels/\(channel)/recordings", token: a.token)
            let recording = list["items"][0]
            expectConforms(recording, to: "Recording")
            #expect(recording["origin"].string == "event")
            #expect(recording["eventId"].string == eventID)
            #expect(recording["startsAt"].string == "2030-06-01T18:00:00.000Z")
            #expect(recording["endsAt"].string == "2030-06-01T20:00:00.000Z")
            let id = try #require(recording["id"].string)

            // Its times follow the event's, not its own PATCH.
            let conflict = try await api.call(.patch, "recordings/\(id)", token: a.token, body: ["startsAt": "2030-06-01T18:30:00Z"])
            #expect(conflict.status == .conflict)
            #expect(conflict.errorCode == "conflict")
            try await api.expect(.ok, .patch, "events/\(eventID)", token: a.token, body: ["endsAt": "2030-06-01T21:00:00Z"])
            #expect(try await api.expect(.ok, .get, "recordings/\(id)", token: a.token)["endsAt"].string == "2030-06-01T21:00:00.000Z")

            try await api.expect(.noContent, .delete, "events/\(eventID)", token: a.token)
            let kept = try await api.expect(.ok, .get, "recordings/\(id)", token: a.token)
            #expect(kept["eventId"].isNull)
            #expect(kept["origin"].string == "event")
        }
    }

    @Test(arguments: Backend.allCases)
    func anotherOrganisationsRecordingsAre404AndReadOnlyIs403(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let b = try await api.organisation("B")
            let reader = try await api.organisation("A2", role: "readOnly")
            let channel = try await api.channel("b", token: b.token)
            let recording = try await api.expect(.created, .post, "channels/\(channel)/recordings", token: b.token, body: [
                "title": "B's", "startsAt": "2025-06-01T09:00:00Z", "endsAt": "2025-06-01T10:00:00Z",
            ])
            let id = try #require(recording["id"].string)
            try await api.expect(.notFound, .get, "recordings/\(id)", token: a.token)
            try await api.expect(.notFound, .patch, "recordings/\(id)", token: a.token, body: ["retain": false])
            try await api.expect(.notFound, .delete, "recordings/\(id)", token: a.token)
            try await api.expect(.notFound, .get, "channels/\(channel)/recordings", token: a.token)
            try await api.expect(.forbidden, .delete, "recordings/\(id)", token: reader.token)
            #expect(try await api.expect(.ok, .get, "recordings/\(id)", token: b.token) == recording)
            try await api.expect(.unauthorized, .get, "recordings/\(id)", token: nil)
        }
    }
}
