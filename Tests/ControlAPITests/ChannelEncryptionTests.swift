import Control
import Foundation
import HTTPTypes
import Testing
import TestSupport

/// A channel's `encryption` object: off by default, replaced whole by a PATCH, validated.
@Suite struct ChannelEncryptionTests {
    @Test(arguments: Backend.allCases)
    func encryptionIsOffByDefaultAndReplacedWhole(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let created = try await api.expect(.created, .post, "channels", token: a.token, body: ["name": "tv1"])
            expectConforms(created, to: "Channel")
            #expect(created["encryption"] == .object([
                "enabled": .bool(false), "scheme": .string("aes-128"),
                "rotationSegments": .number(Double(EncryptionSettings.defaultRotationSegments)), "keyServer": .null,
            ]))
            let id = try #require(created["id"].string)
            let on = try await api.expect(.ok, .patch, "channels/\(id)", token: a.token, body: [
                "encryption": ["enabled": true, "rotationSegments": 4, "keyServer": "https://keys.example.com/antenne"],
            ])
            expectConforms(on, to: "Channel")
            #expect(on["encryption"] == .object([
                "enabled": .bool(true), "scheme": .string("aes-128"), "rotationSegments": .number(4),
                "keyServer": .string("https://keys.example.com/antenne"),
            ]))
            // Absent fields stay; the object is replaced whole (keyServer back to null).
            #expect(try await api.expect(.ok, .patch, "channels/\(id)", token: a.token, body: ["visibility": "token"])["encryption"] == on["encryption"])
            let derived = try await api.expect(.ok, .patch, "channels/\(id)", token: a.token, body: ["encryption": ["enabled": true]])
            #expect(derived["encryption"]["keyServer"] == .null)
            #expect(try await api.expect(.ok, .get, "channels/\(id)", token: a.token)["encryption"] == derived["encryption"])

            let zero = try await api.call(.patch, "channels/\(id)", token: a.token, body: ["encryption": ["enabled": true, "rotationSegments": 0]])
            #expect(zero.status == .badRequest)
            let ftp = try await api.call(.post, "channels", token: a.token, body: [
                "name": "tv2", "encryption": ["enabled": true, "keyServer": "ftp://keys.example.com"],
            ])
            #expect(ftp.status == .badRequest)
            let missing = try await api.call(.patch, "channels/\(id)", token: a.token, body: ["encryption": ["rotationSegments": 4]])
            #expect(missing.status == .badRequest)

            // The scheme: cbcs kept through a reload, anything else refused.
            let cbcs = try await api.expect(.ok, .patch, "channels/\(id)", token: a.token, body: ["encryption": ["enabled": true, "scheme": "cbcs"]])
            expectConforms(cbcs, to: "Channel")
            #expect(cbcs["encryption"]["scheme"] == .string("cbcs"))
            #expect(try await api.expect(.ok, .get, "channels/\(id)", token: a.token)["encryption"]["scheme"] == .string("cbcs"))
            let unknown = try await api.call(.patch, "channels/\(id)", token: a.token, body: ["encryption": ["enabled": true, "scheme": "cenc"]])
            #expect(unknown.status == .badRequest)
        }
    }
}
