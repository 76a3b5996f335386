import Control
import Foundation
import Testing
import TestSupport

/// Organisation isolation is enforced by the store: a scope of organisation B never reads, changes
/// or deletes organisation A's resources, and they look absent (not found), not forbidden.
@Suite("Organisation isolation")
struct IsolationTests {
    @Test("channels", arguments: Backend.allCases)
    func channels(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "a-live"), scope: orgs.scopeA)

            #expect(try await store.channel(id: channel.id, scope: orgs.scopeB) == nil)
            #expect(try await store.channels(scope: orgs.scopeB).items.isEmpty)
            let list = await controlError { _ = try await store.channels(organisation: orgs.a.id, scope: orgs.scopeB) }
            #expect(list == .notFound("organisation"))
            let update = await controlError {
                _ = try await store.updateChannel(id: channel.id, ChannelUpdate(visibility: .token), scope: orgs.scopeB)
            }
            #expect(update == .notFound("channel"))
            let delete = await controlError { try await store.deleteChannel(id: channel.id, scope: orgs.scopeB) }
            #expect(delete == .notFound("channel"))
            let create = await controlError {
                _ = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "b-into-a"), scope: orgs.scopeB)
            }
            #expect(create == .notFound("organisation"))

            // Untouched, and visible to its owner and the server admin.
            #expect(try await store.channel(id: channel.id, scope: orgs.scopeA) == channel)
            #expect(try await store.channel(id: channel.id, scope: .serverAdmin) == channel)
            #expect(try await store.channels(scope: .serverAdmin).items == [channel])
        }
    }

    @Test("stream keys", arguments: Backend.allCases)
    func streamKeys(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "a-keys"), scope: orgs.scopeA)
            let key = try await store.createStreamKey(channel: channel.id, label: "OBS", scope: orgs.scopeA)

            #expect(try await store.streamKey(id: key.key.id, scope: orgs.scopeB) == nil)
            let list = await controlError { _ = try await store.streamKeys(channel: channel.id, scope: orgs.scopeB) }
            #expect(list == .notFound("channel"))
            let create = await controlError { _ = try await store.createStreamKey(channel: channel.id, label: "x", scope: orgs.scopeB) }
            #expect(create == .notFound("channel"))
            let rotate = await controlError { _ = try await store.rotateStreamKey(id: key.key.id, scope: orgs.scopeB) }
            #expect(rotate == .notFound("stream key"))
            let revoke = await controlError { _ = try await store.revokeStreamKey(id: key.key.id, scope: orgs.scopeB) }
            #expect(revoke == .notFound("stream key"))

            #expect(try await store.channel(forStreamKey: key.secret.value) == channel)
            #expect(try await store.streamKeys(channel: channel.id, scope: orgs.scopeA).items == [key.key])
        }
    }

    @Test("events", arguments: Backend.allCases)
    func events(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "a-events"), scope: orgs.scopeA)
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            let event = try await store.createEvent(
                channel: channel.id, NewEvent(title: "Keynote", startsAt: start, endsAt: start + 3600), scope: orgs.scopeA
            )

            #expect(try await store.event(id: event.id, scope: orgs.scopeB) == nil)
            let list = await controlError { _ = try await store.events(channel: channel.id, scope: orgs.scopeB) }
            #expect(list == .notFound("channel"))
            let create = await controlError {
                _ = try await store.createEvent(
                    channel: channel.id, NewEvent(title: "Hijack", startsAt: start, endsAt: start + 60), scope: orgs.scopeB
                )
            }
            #expect(create == .notFound("channel"))
            let update = await controlError {
                _ = try await store.updateEvent(id: event.id, EventUpdate(title: "Mine"), scope: orgs.scopeB)
            }
            #expect(update == .notFound("event"))
            let delete = await controlError { try await store.deleteEvent(id: event.id, scope: orgs.scopeB) }
            #expect(delete == .notFound("event"))

            #expect(try await store.event(id: event.id, scope: orgs.scopeA)?.title == "Keynote")
        }
    }

    @Test("webhooks and their deliveries", arguments: Backend.allCases)
    func webhooks(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let hook = try await store.createWebhook(
                organisation: orgs.a.id, NewWebhook(url: "https://a.example/hook", events: [.streamStarted]), scope: orgs.scopeA
            )

            #expect(try await store.webhook(id: hook.webhook.id, scope: orgs.scopeB) == nil)
            #expect(try await store.webhooks(scope: orgs.scopeB).items.isEmpty)
            let list = await controlError { _ = try await store.webhooks(organisation: orgs.a.id, scope: orgs.scopeB) }
            #expect(list == .notFound("organisation"))
            let create = await controlError {
                _ = try await store.createWebhook(
                    organisation: orgs.a.id, NewWebhook(url: "https://b.example/", events: [.streamStarted]), scope: orgs.scopeB
                )
            }
            #expect(create == .notFound("organisation"))
            let update = await controlError {
                _ = try await store.updateWebhook(id: hook.webhook.id, WebhookUpdate(url: "https://b.example/steal"), scope: orgs.scopeB)
            }
            #expect(update == .notFound("webhook"))
            let deliveries = await controlError { _ = try await store.deliveries(webhook: hook.webhook.id, scope: orgs.scopeB) }
            #expect(deliveries == .notFound("webhook"))
            let delete = await controlError { try await store.deleteWebhook(id: hook.webhook.id, scope: orgs.scopeB) }
            #expect(delete == .notFound("webhook"))

            // B's events never reach A's webhooks.
            #expect(try await store.enqueue(.streamStarted, organisation: orgs.b.id, payload: "{}").isEmpty)
            #expect(try await store.webhook(id: hook.webhook.id, scope: orgs.scopeA) == hook.webhook)
        }
    }

    @Test("API tokens", arguments: Backend.allCases)
    func tokens(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let token = try await store.createToken(organisation: orgs.a.id, name: "deploy", role: .admin, scope: orgs.scopeA)

            #expect(try await store.token(id: token.token.id, scope: orgs.scopeB) == nil)
            let list = await controlError { _ = try await store.tokens(organisation: orgs.a.id, scope: orgs.scopeB) }
            #expect(list == .notFound("organisation"))
            let create = await controlError {
                _ = try await store.createToken(organisation: orgs.a.id, name: "x", role: .admin, scope: orgs.scopeB)
            }
            #expect(create == .notFound("organisation"))
            let revoke = await controlError { _ = try await store.revokeToken(id: token.token.id, scope: orgs.scopeB) }
            #expect(revoke == .notFound("token"))

            #expect(try await store.authenticate(secret: token.secret.value)?.organisationID == orgs.a.id)
        }
    }

    @Test("a read-only scope reads but never writes", arguments: Backend.allCases)
    func readOnly(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let viewer = Scope.organisation(orgs.a.id, .readOnly)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "ro"), scope: orgs.scopeA)
            #expect(try await store.channel(id: channel.id, scope: viewer) == channel)

            let forbidden = ControlError.forbidden("a read-only token cannot change anything")
            #expect(await controlError { _ = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "ro2"), scope: viewer) } == forbidden)
            #expect(await controlError { _ = try await store.updateChannel(id: channel.id, ChannelUpdate(ladder: "mobile"), scope: viewer) } == forbidden)
            #expect(await controlError { try await store.deleteChannel(id: channel.id, scope: viewer) } == forbidden)
            #expect(await controlError { _ = try await store.createStreamKey(channel: channel.id, label: "x", scope: viewer) } == forbidden)
            #expect(await controlError { _ = try await store.createToken(organisation: orgs.a.id, name: "x", role: .admin, scope: viewer) } == forbidden)
            #expect(try await store.channel(id: channel.id, scope: orgs.scopeA) == channel)
        }
    }
}
