import Control
import Foundation
import HTTPTypes
import Testing
import TestSupport

@Suite struct ChannelTests {
    @Test(arguments: Backend.allCases)
    func channelRoundTrip(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let created = try await api.call(.post, "channels", token: a.token, body: ["name": "demo"])
            #expect(created.status == .created)
            expectConforms(created.json, to: "Channel")
            let id = try #require(created.json["id"].string)
            #expect(created.headers[.location] == "/api/v1/channels/\(id)")
            #expect(created.json["organisationId"].string == a.id)
            #expect(created.json["ladder"].string == "passthrough")
            #expect(created.json["visibility"].string == "public")
            #expect(created.json["p2p"] == .bool(false))
            #expect(created.json["archive"] == .object(["enabled": .bool(false), "retentionSeconds": .null, "retentionBytes": .null]))

            #expect(try await api.expect(.ok, .get, "channels/\(id)", token: a.token) == created.json)

            let patched = try await api.expect(.ok, .patch, "channels/\(id)", token: a.token, body: [
                "name": "demo-2", "ladder": "mobile", "visibility": "token", "p2p": true,
                "archive": ["enabled": true, "retentionSeconds": 3600],
            ])
            expectConforms(patched, to: "Channel")
            #expect(patched["name"].string == "demo-2")
            #expect(patched["ladder"].string == "mobile")
            #expect(patched["visibility"].string == "token")
            #expect(patched["p2p"] == .bool(true))
            #expect(patched["archive"] == .object(["enabled": .bool(true), "retentionSeconds": .number(3600), "retentionBytes": .null]))
            #expect(patched["createdAt"] == created.json["createdAt"])
            // Absent fields stay as they are.
            let same = try await api.expect(.ok, .patch, "channels/\(id)", token: a.token, body: [:])
            #expect(same == patched)

            try await api.expect(.noContent, .delete, "channels/\(id)", token: a.token)
            try await api.expect(.notFound, .get, "channels/\(id)", token: a.token)
            try await api.expect(.notFound, .patch, "channels/\(id)", token: a.token, body: ["ladder": "mobile"])
            try await api.expect(.notFound, .delete, "channels/\(id)", token: a.token)
        }
    }

    @Test(arguments: Backend.allCases)
    func theServerAdminNamesTheOrganisation(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let missing = try await api.call(.post, "channels", body: ["name": "demo"])
            #expect(missing.status == .badRequest)
            #expect(missing.errorField == "organisationId")
            let unknown = try await api.call(.post, "channels", body: ["name": "demo", "organisationId": unknownID()])
            #expect(unknown.status == .notFound)
            let created = try await api.expect(.created, .post, "channels", body: ["name": "demo", "organisationId": a.id])
            #expect(created["organisationId"].string == a.id)
            // The organisation's own token may name its own organisation too.
            let own = try await api.expect(.created, .post, "channels", token: a.token, body: ["name": "demo2", "organisationId": a.id])
            #expect(own["organisationId"].string == a.id)
        }
    }

    @Test(arguments: Backend.allCases)
    func channelNamesAreUniqueIgnoringCase(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let b = try await api.organisation("B")
            _ = try await api.channel("Demo", token: a.token)
            let clash = try await api.call(.post, "channels", token: b.token, body: ["name": "demo"])
            #expect(clash.status == .conflict)
            #expect(clash.errorCode == "conflict")
        }
    }

    @Test(arguments: Backend.allCases)
    func p2pIsABooleanThatCreatesAndPatchesAlone(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let created = try await api.expect(.created, .post, "channels", token: a.token, body: ["name": "swarm", "p2p": true])
            expectConforms(created, to: "Channel")
            #expect(created["p2p"] == .bool(true))
            let id = try #require(created["id"].string)
            let off = try await api.expect(.ok, .patch, "channels/\(id)", token: a.token, body: ["p2p": false])
            #expect(off["p2p"] == .bool(false))
            #expect(off["visibility"] == created["visibility"])
            for wrong: Any in ["yes", NSNull(), 1] {
                let refused = try await api.call(.patch, "channels/\(id)", token: a.token, body: ["p2p": wrong])
                #expect(refused.status == .badRequest, "p2p: \(wrong)")
                #expect(refused.errorField == "p2p")
            }
            #expect(try await api.expect(.ok, .get, "channels/\(id)", token: a.token)["p2p"] == .bool(false))
        }
    }
}
