import Control
import Foundation
import Testing
import TestSupport

@Suite("ControlStore lifecycle")
struct StoreLifecycleTests {
    @Test("migrations are idempotent: a second open keeps the data and migrates nothing", arguments: Backend.allCases)
    func migrationsAreIdempotent(_ backend: Backend) async throws {
        try await withLocation(backend) { location in
        let first = try await ControlStore.open(database: location, logger: testLogger)
        let organisation = try await first.createOrganisation(name: "Conference", scope: .serverAdmin)
        await first.shutdown()

        let second = try await ControlStore.open(database: location, logger: testLogger)
        let reread = try await second.organisation(id: organisation.id, scope: .serverAdmin)
        await second.shutdown()
        #expect(reread == organisation)

        let third = try await ControlStore.open(database: location, logger: testLogger)
        let all = try await third.organisations(scope: .serverAdmin)
        await third.shutdown()
        #expect(all.items.map(\.id) == [organisation.id])
        }
    }

    @Test("deleting an organisation removes everything it owns", arguments: Backend.allCases)
    func deleteOrganisationCascades(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "gone"), scope: orgs.scopeA)
            let key = try await store.createStreamKey(channel: channel.id, label: "OBS", scope: orgs.scopeA)
            let token = try await store.createToken(organisation: orgs.a.id, name: "ci", role: .admin, scope: .serverAdmin)
            _ = try await store.createWebhook(
                organisation: orgs.a.id, NewWebhook(url: "https://example.com/h", events: [.streamStarted]), scope: orgs.scopeA
            )
            _ = try await store.enqueue(.streamStarted, organisation: orgs.a.id, payload: "{}")
            let kept = try await store.createChannel(organisation: orgs.b.id, NewChannel(name: "kept"), scope: orgs.scopeB)

            let forbidden = await controlError { try await store.deleteOrganisation(id: orgs.a.id, scope: orgs.scopeA) }
            #expect(forbidden == .forbidden("deleting an organisation needs the server admin token"))

            try await store.deleteOrganisation(id: orgs.a.id, scope: .serverAdmin)
            #expect(try await store.organisation(id: orgs.a.id, scope: .serverAdmin) == nil)
            #expect(try await store.channel(named: "gone") == nil)
            #expect(try await store.channel(forStreamKey: key.secret.value) == nil)
            #expect(try await store.authenticate(secret: token.secret.value) == nil)
            #expect(try await store.dueDeliveries(limit: 10).isEmpty)
            #expect(try await store.channel(named: "kept") == kept)

            let again = await controlError { try await store.deleteOrganisation(id: orgs.a.id, scope: .serverAdmin) }
            #expect(again == .notFound("organisation"))
        }
    }

    @Test("an organisation token sees only its own organisation")
    func organisationVisibility() async throws {
        try await withStore(.sqlite) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            #expect(try await store.organisations(scope: orgs.scopeA).items == [orgs.a])
            #expect(try await store.organisation(id: orgs.b.id, scope: orgs.scopeA) == nil)
            let rename = await controlError { _ = try await store.renameOrganisation(id: orgs.b.id, name: "Mine", scope: orgs.scopeA) }
            #expect(rename == .notFound("organisation"))
            let create = await controlError { _ = try await store.createOrganisation(name: "New", scope: orgs.scopeA) }
            #expect(create == .forbidden("creating an organisation needs the server admin token"))
            let renamed = try await store.renameOrganisation(id: orgs.a.id, name: "  Org A2 ", scope: orgs.scopeA)
            #expect(renamed.name == "Org A2")
        }
    }
}
