import Control
import Foundation
import HTTPTypes
import Testing
import TestSupport

@Suite struct StreamKeyTests {
    @Test(arguments: Backend.allCases)
    func keysAreShownOnceAndRotateAndRevoke(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("demo", token: a.token)

            let created = try await api.call(.post, "channels/\(channel)/keys", token: a.token, body: ["label": "OBS studio A"])
            #expect(created.status == .created)
            expectConforms(created.json, to: "CreatedStreamKey")
            let keyID = try #require(created.json["id"].string)
            let secret = try #require(created.json["secret"].string)
            #expect(secret.hasPrefix("sk_"))
            #expect(created.json["channelId"].string == channel)
            #expect(created.headers[.location] == "/api/v1/keys/\(keyID)")
            // The clear key publishes the channel.
            #expect(try await api.store.channel(forStreamKey: secret)?.id.uuidString.lowercased() == channel)

            let list = try await api.call(.get, "channels/\(channel)/keys", token: a.token)
            expectConforms(list.json, to: "StreamKeyPage")
            #expect(list.json["items"].array?.count == 1)
            #expect(!list.text.contains(secret))
            let fetched = try await api.call(.get, "keys/\(keyID)", token: a.token)
            expectConforms(fetched.json, to: "StreamKey")
            #expect(!fetched.text.contains(secret))
            #expect(fetched.json["revokedAt"].isNull)

            // Rotation without a body keeps the label.
            let rotated = try await api.call(.post, "keys/\(keyID)/rotate", token: a.token)
            #expect(rotated.status == .created)
            expectConforms(rotated.json, to: "CreatedStreamKey")
            let newID = try #require(rotated.json["id"].string)
            let newSecret = try #require(rotated.json["secret"].string)
            #expect(newID != keyID)
            #expect(newSecret != secret)
            #expect(rotated.json["label"].string == "OBS studio A")
            #expect(try await api.store.channel(forStreamKey: secret) == nil)
            #expect(try await api.store.channel(forStreamKey: newSecret) != nil)
            let old = try await api.expect(.ok, .get, "keys/\(keyID)", token: a.token)
            #expect(old["revokedAt"].string != nil)
            // A revoked key cannot be rotated.
            let again = try await api.call(.post, "keys/\(keyID)/rotate", token: a.token)
            #expect(again.status == .conflict)
            try checkErrorBody(again)

            // Rotation with a new label.
            let relabelled = try await api.expect(.created, .post, "keys/\(newID)/rotate", token: a.token, body: ["label": "OBS studio B"])
            #expect(relabelled["label"].string == "OBS studio B")
            let lastID = try #require(relabelled["id"].string)

            let revoked = try await api.expect(.ok, .delete, "keys/\(lastID)", token: a.token)
            expectConforms(revoked, to: "StreamKey")
            #expect(revoked["revokedAt"].string != nil)
            let all = try await api.expect(.ok, .get, "channels/\(channel)/keys", token: a.token)
            #expect(all["items"].array?.count == 3)
            #expect(all["items"].array?.allSatisfy { $0["revokedAt"].string != nil } == true)
        }
    }

    @Test(arguments: Backend.allCases)
    func keysOfAnUnknownChannelAre404(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            _ = try await api.organisation("A")
            try await api.expect(.notFound, .post, "channels/\(unknownID())/keys", body: ["label": "x"])
            try await api.expect(.notFound, .get, "channels/\(unknownID())/keys")
            try await api.expect(.notFound, .post, "keys/\(unknownID())/rotate")
            try await api.expect(.notFound, .delete, "keys/\(unknownID())")
            try await api.expect(.notFound, .get, "keys/not-a-uuid")
        }
    }

    @Test(arguments: Backend.allCases)
    func aKeyIsPrimaryUnlessMadeABackup(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("pair", token: a.token)
            let primary = try await api.expect(.created, .post, "channels/\(channel)/keys", token: a.token, body: ["label": "truck 1"])
            #expect(primary["role"].string == "primary")
            let backup = try await api.call(.post, "channels/\(channel)/keys", token: a.token, body: ["label": "truck 2", "role": "backup"])
            #expect(backup.status == .created)
            expectConforms(backup.json, to: "CreatedStreamKey")
            #expect(backup.json["role"].string == "backup")
            let secret = try #require(backup.json["secret"].string)
            #expect(try await api.store.publishRight(forStreamKey: secret)?.role == .backup)
            let keyID = try #require(backup.json["id"].string)
            let rotated = try await api.expect(.created, .post, "keys/\(keyID)/rotate", token: a.token)
            #expect(rotated["role"].string == "backup")

            let wrong = try await api.call(.post, "channels/\(channel)/keys", token: a.token, body: ["label": "x", "role": "tertiary"])
            #expect(wrong.status == .badRequest)
            try checkErrorBody(wrong)
        }
    }
}
