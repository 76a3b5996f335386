import Control
import Foundation
import HTTPTypes
import Testing
import TestSupport

@Suite struct ClipTests {
    @Test(arguments: Backend.allCases)
    func clipRoundTrip(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("match", token: a.token)
            let created = try await api.call(.post, "channels/\(channel)/clips", token: a.token, body: [
                "start": "2025-06-01T20:15:00+02:00", "duration": 12.5, "rendition": "720p", "title": "Goal",
            ])
            #expect(created.status == .created)
            expectConforms(created.json, to: "Clip")
            let id = try #require(created.json["id"].string)
            #expect(created.headers[.location] == "/api/v1/clips/\(id)")
            #expect(created.json["start"].string == "2025-06-01T18:15:00.000Z")
            #expect(created.json["end"].string == "2025-06-01T18:15:12.500Z")
            #expect(created.json["duration"] == .number(12.5))
            #expect(created.json["status"].string == "pending")
            #expect(created.json["progress"] == .number(0))
            #expect(created.json["size"].isNull)
            #expect(created.json["error"].isNull)
            #expect(created.json["readyAt"].isNull)
            #expect(created.json["recordingId"].isNull)
            #expect(created.json["rendition"].string == "720p")
            #expect(created.json["downloadPath"].string == "/clips/\(id).mp4")
            #expect(created.json["playlistPath"].string == "/clips/\(id)/master.m3u8")

            #expect(try await api.expect(.ok, .get, "clips/\(id)", token: a.token) == created.json)

            // Cut from a recording: start = the recording's start + offset.
            let recording = try await api.expect(.created, .post, "channels/\(channel)/recordings", token: a.token, body: [
                "title": "Match", "startsAt": "2025-06-01T18:00:00Z", "endsAt": "2025-06-01T20:00:00Z",
            ])
            let recordingID = try #require(recording["id"].string)
            let fromRecording = try await api.expect(.created, .post, "channels/\(channel)/clips", token: a.token, body: [
                "recording": recordingID, "offset": 90, "duration": 30,
            ])
            expectConforms(fromRecording, to: "Clip")
            #expect(fromRecording["start"].string == "2025-06-01T18:01:30.000Z")
            #expect(fromRecording["recordingId"].string == recordingID)
            #expect(fromRecording["title"].isNull)
            #expect(fromRecording["rendition"].isNull)

            // The server's clip job finishes it.
            let job = try #require(try await api.store.claimPendingClips(limit: 10, lease: 60).first { $0.clip.id.uuidString.lowercased() == id })
            try await api.store.finishClip(id: job.clip.id, size: 4096)
            let ready = try await api.expect(.ok, .get, "clips/\(id)", token: a.token)
            expectConforms(ready, to: "Clip")
            #expect(ready["status"].string == "ready")
            #expect(ready["size"].int == 4096)
            #expect(ready["progress"] == .number(1))
            #expect(ready["readyAt"].string != nil)

            let list = try await api.expect(.ok, .get, "channels/\(channel)/clips", token: a.token)
            expectConforms(list, to: "ClipPage")
            #expect(list["items"].array?.map { $0["id"] } == [created.json["id"], fromRecording["id"]])

            try await api.expect(.noContent, .delete, "clips/\(id)", token: a.token)
            try await api.expect(.notFound, .get, "clips/\(id)", token: a.token)
        }
    }

    @Test(arguments: Backend.allCases)
    func invalidClipsAre400(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("match", token: a.token)
            let recording = try await api.expect(.created, .post, "channels/\(channel)/recordings", token: a.token, body: [
                "title": "Match", "startsAt": "2025-06-01T18:00:00Z", "endsAt": "2025-06-01T18:01:00Z",
            ])
            let recordingID = try #require(recording["id"].string)
            let start = "2025-06-01T18:00:00Z"
            let cases: [([String: Any], String)] = [
                (["duration": 10], "start"),
                (["start": start], "duration"),
                (["start": start, "duration": 0.5], "duration"),
                (["start": start, "duration": 10_801], "duration"),
                (["start": start, "duration": "10"], "duration"),
                (["start": start, "recording": recordingID, "duration": 10], "recording"),
                (["start": start, "offset": 5, "duration": 10], "offset"),
                (["recording": recordingID, "offset": -1, "duration": 10], "offset"),
                (["recording": recordingID, "offset": 55, "duration": 10], "duration"),
                (["recording": unknownID(), "duration": 10], "recording"),
                (["recording": "nope", "duration": 10], "recording"),
                (["start": start, "duration": 10, "rendition": "Best"], "rendition"),
                (["start": start, "duration": 10, "title": ""], "title"),
                (["start": "2099-01-01T00:00:00Z", "duration": 10], "start"),
                (["start": start, "duration": 10, "status": "ready"], "status"),
            ]
            for (body, field) in cases {
                let answer = try await api.call(.post, "channels/\(channel)/clips", token: a.token, body: body)
                #expect(answer.status == .badRequest, "\(body): \(answer)")
                #expect(answer.errorField == field, "\(body): \(answer)")
                try checkErrorBody(answer)
            }
            try await api.expect(.notFound, .post, "channels/\(unknownID())/clips", token: a.token, body: ["start": start, "duration": 10])
            try await api.expect(.notFound, .get, "channels/\(unknownID())/clips", token: a.token)
            let unsupported = try await api.call(.post, "channels/\(channel)/clips", token: a.token, rawBody: "{}")
            #expect(unsupported.status == .unsupportedMediaType)
        }
    }

    @Test(arguments: Backend.allCases)
    func anotherOrganisationsClipsAre404AndReadOnlyIs403(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let b = try await api.organisation("B")
            let reader = try await api.organisation("B2", role: "readOnly")
            let channel = try await api.channel("b", token: b.token)
            let clip = try await api.expect(.created, .post, "channels/\(channel)/clips", token: b.token, body: [
                "start": "2025-06-01T18:00:00Z", "duration": 10,
            ])
            let id = try #require(clip["id"].string)
            try await api.expect(.notFound, .get, "clips/\(id)", token: a.token)
            try await api.expect(.notFound, .delete, "clips/\(id)", token: a.token)
            try await api.expect(.notFound, .get, "channels/\(channel)/clips", token: a.token)
            try await api.expect(.notFound, .post, "channels/\(channel)/clips", token: a.token, body: ["start": "2025-06-01T18:00:00Z", "duration": 10])
            try await api.expect(.forbidden, .delete, "clips/\(id)", token: reader.token)
            try await api.expect(.forbidden, .post, "channels/\(channel)/clips", token: reader.token, body: ["start": "2025-06-01T18:00:00Z", "duration": 10])
            #expect(try await api.expect(.ok, .get, "clips/\(id)", token: b.token) == clip)
        }
    }

    @Test func clipReadyIsAWebhookEvent() async throws {
        try await withAPI(.sqlite) { api in
            let a = try await api.organisation("A")
            let hook = try await api.expect(.created, .post, "webhooks", token: a.token, body: [
                "url": "https://hooks.example/clips", "events": ["clip.ready"],
            ])
            expectConforms(hook, to: "CreatedWebhook")
            #expect(hook["events"].array == [.string("clip.ready")])
        }
    }
}
