import Control
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

@Suite struct AuthTests {
    @Test(arguments: Backend.allCases)
    func missingOrMalformedCredentialsAre401WithAChallenge(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let none = try await api.call(.get, "channels", token: nil)
            #expect(none.status == .unauthorized)
            #expect(none.errorCode == "unauthorized")
            #expect(none.headers[.wwwAuthenticate] == #"Bearer realm="antenne""#)
            try checkErrorBody(none)

            for header in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer a b", "Bearer tok\u{7F}en", "bearer " + String(repeating: "a", count: 2_000)] {
                let answer = try await api.call(.get, "channels", token: nil, headers: [.authorization: header])
                #expect(answer.status == .unauthorized, "\(header.prefix(20))")
                #expect(answer.headers[.wwwAuthenticate] == #"Bearer realm="antenne", error="invalid_token""#)
                #expect(answer.errorCode == "unauthorized")
            }
            for token in ["ant_unknown", "not-the-admin-token", adminToken + "x", String(adminToken.dropLast())] {
                let answer = try await api.call(.get, "channels", token: token)
                #expect(answer.status == .unauthorized, "\(token)")
                #expect(answer.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
            }
            // The scheme is case-insensitive (RFC 6750 §2.1, RFC 9110 §11.1).
            let lower = try await api.call(.get, "channels", token: nil, headers: [.authorization: "bearer \(adminToken)"])
            #expect(lower.status == .ok)
        }
    }

    @Test(arguments: Backend.allCases)
    func errorAnswersNeverEchoTheToken(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let answer = try await api.call(.get, "channels", token: "ant_secret-looking-value")
            #expect(!answer.text.contains("secret-looking-value"))
        }
    }

    @Test(arguments: Backend.allCases)
    func theAdminTokenReachesEverything(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let b = try await api.organisation("B")
            let channelA = try await api.channel("a-one", token: a.token)
            let channelB = try await api.channel("b-one", token: b.token)
            let all = try await api.expect(.ok, .get, "channels")
            #expect(Set(all["items"].array?.compactMap { $0["id"].string } ?? []) == [channelA, channelB])
            let onlyB = try await api.expect(.ok, .get, "channels?organisationId=\(b.id)")
            #expect(onlyB["items"].array?.compactMap { $0["id"].string } == [channelB])
            try await api.expect(.ok, .get, "channels/\(channelA)")
            try await api.expect(.ok, .patch, "channels/\(channelB)", body: ["visibility": "token"])
        }
    }

    @Test(arguments: Backend.allCases)
    func aReadOnlyTokenReadsButEveryWriteIs403(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let admin = try await api.organisation("A")
            let reader = try await api.expect(.created, .post, "organisations/\(admin.id)/tokens", body: ["name": "viewer"])
            #expect(reader["role"].string == "readOnly", "read-only is the default role")
            let readOnly = try #require(reader["secret"].string)
            let channel = try await api.channel("demo", token: admin.token)
            let key = try await api.expect(.created, .post, "channels/\(channel)/keys", token: admin.token, body: ["label": "OBS"])
            let keyID = try #require(key["id"].string)

            try await api.expect(.ok, .get, "channels", token: readOnly)
            try await api.expect(.ok, .get, "channels/\(channel)", token: readOnly)
            try await api.expect(.ok, .get, "channels/\(channel)/keys", token: readOnly)
            try await api.expect(.ok, .get, "organisations/\(admin.id)", token: readOnly)

            let writes: [(HTTPRequest.Method, String, [String: Any]?)] = [
                (.post, "channels", ["name": "other"]),
                (.patch, "channels/\(channel)", ["name": "renamed"]),
                (.delete, "channels/\(channel)", nil),
                (.post, "channels/\(channel)/keys", ["label": "x"]),
                (.post, "keys/\(keyID)/rotate", nil),
                (.delete, "keys/\(keyID)", nil),
                (.post, "channels/\(channel)/events", ["title": "t", "startsAt": "2030-01-01T00:00:00Z", "endsAt": "2030-01-01T01:00:00Z"]),
                (.post, "webhooks", ["url": "https://example.com/hook", "events": ["stream.started"]]),
                (.post, "organisations/\(admin.id)/tokens", ["name": "escalate", "role": "admin"]),
                (.patch, "organisations/\(admin.id)", ["name": "renamed"]),
                (.post, "organisations", ["name": "new"]),
            ]
            for (method, path, body) in writes {
                let answer = try await api.call(method, path, token: readOnly, body: body)
                #expect(answer.status == .forbidden, "\(method.rawValue) \(path): \(answer)")
                #expect(answer.errorCode == "forbidden")
            }
            // The role is checked before the body is read: even a malformed body is a 403.
            let malformed = try await api.call(.post, "channels", token: readOnly, rawBody: "{", headers: [.contentType: "application/json"])
            #expect(malformed.status == .forbidden)
            // Nothing changed.
            let channels = try await api.expect(.ok, .get, "channels", token: readOnly)
            #expect(channels["items"].array?.count == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func serverAdminOperationsAre403ForAnOrganisationAdmin(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let create = try await api.call(.post, "organisations", token: a.token, body: ["name": "mine"])
            #expect(create.status == .forbidden)
            let delete = try await api.call(.delete, "organisations/\(a.id)", token: a.token)
            #expect(delete.status == .forbidden)
            // Renaming its own organisation is allowed.
            let renamed = try await api.expect(.ok, .patch, "organisations/\(a.id)", token: a.token, body: ["name": "A renamed"])
            #expect(renamed["name"].string == "A renamed")
        }
    }

    @Test(arguments: Backend.allCases)
    func aRevokedTokenIs401(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            try await api.expect(.ok, .get, "channels", token: a.token)
            let tokens = try await api.expect(.ok, .get, "organisations/\(a.id)/tokens")
            let id = try #require(tokens["items"][0]["id"].string)
            let revoked = try await api.expect(.ok, .delete, "tokens/\(id)", token: a.token)
            #expect(revoked["revokedAt"].string != nil)
            let answer = try await api.call(.get, "channels", token: a.token)
            #expect(answer.status == .unauthorized)
        }
    }

    @Test(arguments: Backend.allCases)
    func withoutAnAdminTokenNobodyIsServerAdmin(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            for configured in [nil, Secret("")] {
                let router = Router()
                ControlAPI(store: store, adminToken: configured, logger: testLogger).add(to: router)
                let app = Application(router: router, logger: testLogger)
                try await app.test(.router) { client in
                    for header in ["Bearer ", "Bearer \(adminToken)"] {
                        try await client.execute(uri: "/api/v1/organisations", method: .get, headers: [.authorization: header]) { response in
                            #expect(response.status == .unauthorized)
                        }
                    }
                }
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func theOpenAPIDocumentNeedsNoToken(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let answer = try await api.call(.get, "openapi.json", token: nil)
            #expect(answer.status == .ok)
            #expect(answer.json["openapi"].string == "3.1.0")
            #expect(answer.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }
}
