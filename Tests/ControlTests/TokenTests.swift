import FluentKit
import Foundation
import Testing

@testable import Control
import TestSupport

@Suite("API tokens")
struct TokenTests {
    @Test("authenticate: right secret, wrong secret, revoked", arguments: Backend.allCases)
    func authenticate(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let created = try await store.createToken(organisation: orgs.a.id, name: "viewer", role: .readOnly, scope: orgs.scopeA)
            let secret = created.secret.value
            #expect(secret.hasPrefix("ant_"))
            #expect(secret.count == 4 + 43)  // 32 bytes in unpadded base64url

            let identity = try #require(try await store.authenticate(secret: secret))
            #expect(identity == TokenIdentity(tokenID: created.token.id, organisationID: orgs.a.id, role: .readOnly, name: "viewer"))
            #expect(identity.scope == .organisation(orgs.a.id, .readOnly))

            // Stored as a hash only.
            let row = try #require(try await APITokenRow.find(created.token.id, on: store.database))
            #expect(row.secretHash != secret && !row.secretHash.contains(secret))
            #expect(row.secretHash == SecretFormat.hash(secret))

            var tampered = Array(secret)
            tampered[10] = tampered[10] == "A" ? "B" : "A"
            #expect(try await store.authenticate(secret: String(tampered)) == nil)
            #expect(try await store.authenticate(secret: "ant_") == nil)
            #expect(try await store.authenticate(secret: row.secretHash) == nil)
            #expect(try await store.authenticate(secret: String(repeating: "ant_", count: 1_000)) == nil)

            _ = try await store.revokeToken(id: created.token.id, scope: orgs.scopeA)
            #expect(try await store.authenticate(secret: secret) == nil)
            #expect(try await store.token(id: created.token.id, scope: orgs.scopeA)?.isRevoked == true)
        }
    }

    @Test("lastUsedAt is written at most once a minute", arguments: Backend.allCases)
    func lastUsed(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let created = try await store.createToken(organisation: orgs.a.id, name: "ci", role: .admin, scope: orgs.scopeA)
            #expect(created.token.lastUsedAt == nil)
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)

            func lastUsed() async throws -> Date? {
                try await store.token(id: created.token.id, scope: orgs.scopeA)?.lastUsedAt
            }
            _ = try await store.authenticate(secret: created.secret.value, now: t0)
            #expect(try await lastUsed()?.timeIntervalSince1970 == t0.timeIntervalSince1970)
            _ = try await store.authenticate(secret: created.secret.value, now: t0 + 30)
            #expect(try await lastUsed()?.timeIntervalSince1970 == t0.timeIntervalSince1970)
            _ = try await store.authenticate(secret: created.secret.value, now: t0 + 61)
            #expect(try await lastUsed()?.timeIntervalSince1970 == (t0 + 61).timeIntervalSince1970)
        }
    }

    @Test("tokens are listed per organisation", arguments: Backend.allCases)
    func list(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let a1 = try await store.createToken(organisation: orgs.a.id, name: "one", role: .admin, scope: .serverAdmin)
            let a2 = try await store.createToken(organisation: orgs.a.id, name: "two", role: .readOnly, scope: orgs.scopeA)
            _ = try await store.createToken(organisation: orgs.b.id, name: "other", role: .admin, scope: orgs.scopeB)
            #expect(Set(try await store.tokens(scope: orgs.scopeA).items) == [a1.token, a2.token])
            #expect(try await store.tokens(scope: .serverAdmin).items.count == 3)
        }
    }
}
