import Control
import Foundation
import HTTPTypes
import Testing
import TestSupport

@Suite struct OrganisationAndTokenTests {
    @Test(arguments: Backend.allCases)
    func organisationRoundTrip(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let created = try await api.call(.post, "organisations", body: ["name": "  Conference 2025  "])
            #expect(created.status == .created)
            expectConforms(created.json, to: "Organisation")
            let id = try #require(created.json["id"].string)
            #expect(created.headers[.location] == "/api/v1/organisations/\(id)")
            #expect(created.headers[.cacheControl] == "no-store")
            #expect(created.json["name"].string == "Conference 2025", "names are trimmed")
            #expect(id == id.lowercased())
            #expect(created.json["createdAt"].string?.hasSuffix("Z") == true)

            let fetched = try await api.expect(.ok, .get, "organisations/\(id)")
            #expect(fetched == created.json)
            // Ids are accepted in either case.
            try await api.expect(.ok, .get, "organisations/\(id.uppercased())")

            let list = try await api.expect(.ok, .get, "organisations")
            expectConforms(list, to: "OrganisationPage")
            #expect(list["items"].array == [created.json])
            #expect(list["nextCursor"].isNull)

            let renamed = try await api.expect(.ok, .patch, "organisations/\(id)", body: ["name": "Conference 2026"])
            #expect(renamed["name"].string == "Conference 2026")
            let unchanged = try await api.expect(.ok, .patch, "organisations/\(id)", body: [:])
            #expect(unchanged == renamed)

            let deleted = try await api.call(.delete, "organisations/\(id)")
            #expect(deleted.status == .noContent)
            #expect(deleted.text.isEmpty)
            try await api.expect(.notFound, .get, "organisations/\(id)")
            try await api.expect(.notFound, .delete, "organisations/\(id)")
        }
    }

    @Test(arguments: Backend.allCases)
    func deletingAnOrganisationTakesItsTokensAndChannels(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("gone", token: a.token)
            try await api.expect(.noContent, .delete, "organisations/\(a.id)")
            try await api.expect(.notFound, .get, "channels/\(channel)")
            #expect(try await api.call(.get, "channels", token: a.token).status == .unauthorized)
        }
    }

    @Test(arguments: Backend.allCases)
    func tokenSecretsAreShownOnceAndNeverListed(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let organisation = try await api.expect(.created, .post, "organisations", body: ["name": "A"])
            let id = try #require(organisation["id"].string)
            let created = try await api.call(.post, "organisations/\(id)/tokens", body: ["name": "CI deploy", "role": "admin"])
            #expect(created.status == .created)
            expectConforms(created.json, to: "CreatedToken")
            let secret = try #require(created.json["secret"].string)
            let tokenID = try #require(created.json["id"].string)
            #expect(secret.hasPrefix("ant_"))
            #expect(created.json["organisationId"].string == id)
            #expect(created.json["role"].string == "admin")
            #expect(created.json["lastUsedAt"].isNull)
            #expect(created.json["revokedAt"].isNull)
            #expect(created.headers[.location] == "/api/v1/tokens/\(tokenID)")

            // The token works, and its use is recorded.
            try await api.expect(.ok, .get, "channels", token: secret)
            let fetched = try await api.expect(.ok, .get, "tokens/\(tokenID)", token: secret)
            expectConforms(fetched, to: "Token")
            #expect(fetched["lastUsedAt"].string != nil)
            #expect(fetched["secret"].isNull)

            let list = try await api.call(.get, "organisations/\(id)/tokens")
            expectConforms(list.json, to: "TokenPage")
            #expect(list.json["items"].array?.count == 1)
            #expect(list.json["items"][0]["secret"].isNull)
            #expect(!list.text.contains(secret))
            #expect(!fetched.description.contains(secret))

            let revoked = try await api.expect(.ok, .delete, "tokens/\(tokenID)")
            expectConforms(revoked, to: "Token")
            #expect(revoked["revokedAt"].string != nil)
            // Revoking again changes nothing.
            let again = try await api.expect(.ok, .delete, "tokens/\(tokenID)")
            #expect(again["revokedAt"] == revoked["revokedAt"])
            #expect(try await api.call(.get, "channels", token: secret).status == .unauthorized)
            // Revoked tokens stay listed.
            let after = try await api.expect(.ok, .get, "organisations/\(id)/tokens")
            #expect(after["items"][0]["revokedAt"] == revoked["revokedAt"])
        }
    }

    @Test(arguments: Backend.allCases)
    func anOrganisationTokenSeesOnlyItsOwnOrganisation(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            _ = try await api.organisation("B")
            let list = try await api.expect(.ok, .get, "organisations", token: a.token)
            #expect(list["items"].array?.compactMap { $0["id"].string } == [a.id])
            let all = try await api.expect(.ok, .get, "organisations")
            #expect(all["items"].array?.count == 2)
        }
    }
}
