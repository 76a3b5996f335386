import Control
import Foundation
import Testing
import TestSupport

@Suite("Webhook outbox")
struct WebhookOutboxTests {
    static let payload = #"{"event":"stream.started","channel":"demo"}"#

    @Test("enqueue, due, failed with backoff, due later, delivered", arguments: Backend.allCases)
    func lifecycle(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let subscribed = try await store.createWebhook(
                organisation: orgs.a.id,
                NewWebhook(url: "https://hooks.example/a", events: [.streamStarted, .streamStopped]), scope: orgs.scopeA
            )
            _ = try await store.createWebhook(
                organisation: orgs.a.id, NewWebhook(url: "https://hooks.example/other", events: [.transcoderFailed]),
                scope: orgs.scopeA
            )
            _ = try await store.createWebhook(
                organisation: orgs.a.id, NewWebhook(url: "https://hooks.example/off", events: [.streamStarted], active: false),
                scope: orgs.scopeA
            )
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)

            let queued = try await store.enqueue(.streamStarted, organisation: orgs.a.id, payload: Self.payload, now: t0)
            #expect(queued.count == 1)
            let delivery = try #require(queued.first)
            #expect(delivery.webhookID == subscribed.webhook.id)
            #expect(delivery.state == .pending)
            #expect(delivery.attempts == 0)

            #expect(try await store.dueDeliveries(now: t0 - 1, limit: 10).isEmpty)
            let due = try await store.dueDeliveries(now: t0, limit: 10)
            #expect(due.map(\.delivery) == [delivery])
            #expect(due.first?.url == "https://hooks.example/a")
            #expect(due.first?.secret == subscribed.secret)
            #expect(due.first?.delivery.payload == Self.payload)

            let retryAt = t0 + WebhookBackoff.delay(afterAttempts: 1)
            let failed = try await store.markFailed(id: delivery.id, nextAttemptAt: retryAt, error: "HTTP 503", at: t0)
            #expect(failed.attempts == 1)
            #expect(failed.lastError == "HTTP 503")
            #expect(failed.state == .pending)
            #expect(try await store.dueDeliveries(now: t0 + 1, limit: 10).isEmpty)
            #expect(try await store.dueDeliveries(now: retryAt, limit: 10).map(\.delivery.id) == [delivery.id])

            let delivered = try await store.markDelivered(id: delivery.id, at: retryAt + 1)
            #expect(delivered.state == .delivered)
            #expect(delivered.deliveredAt == retryAt + 1)
            #expect(try await store.dueDeliveries(now: retryAt + 3600, limit: 10).isEmpty)
            #expect(try await store.deliveries(webhook: subscribed.webhook.id, scope: orgs.scopeA).items == [delivered])
        }
    }

    @Test("a delivery is given up after the maximum number of attempts", arguments: Backend.allCases)
    func givesUp(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            _ = try await store.createWebhook(
                organisation: orgs.a.id, NewWebhook(url: "http://receiver.internal/hook", events: [.channelUnhealthy]),
                scope: orgs.scopeA
            )
            var now = Date(timeIntervalSince1970: 1_800_000_000)
            let delivery = try #require(try await store.enqueue(.channelUnhealthy, organisation: orgs.a.id, payload: "{}", now: now).first)
            for attempt in 1...ControlLimits.webhookMaximumAttempts {
                let due = try await store.dueDeliveries(now: now, limit: 10)
                #expect(due.map(\.delivery.id) == [delivery.id], "attempt \(attempt)")
                let next = now + WebhookBackoff.delay(afterAttempts: attempt)
                let failed = try await store.markFailed(id: delivery.id, nextAttemptAt: next, error: String(repeating: "x", count: 5_000), at: now)
                #expect(failed.attempts == attempt)
                #expect(failed.lastError?.count == ControlLimits.webhookErrorLength)
                now = next
            }
            let last = try #require(try await store.deliveries(webhook: delivery.webhookID, scope: orgs.scopeA).items.first)
            #expect(last.state == .gaveUp)
            #expect(try await store.dueDeliveries(now: now + 86_400, limit: 10).isEmpty)
        }
    }

    @Test("two servers on one database claim each due delivery once", arguments: Backend.allCases)
    func claimsAreExclusive(_ backend: Backend) async throws {
        try await withLocation(backend) { location in
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)
            let first = try await ControlStore.open(database: location, logger: testLogger)
            let second = try await ControlStore.open(database: location, logger: testLogger)
            let organisation = try await first.createOrganisation(name: "Claims", scope: .serverAdmin)
            _ = try await first.createWebhook(
                organisation: organisation.id, NewWebhook(url: "https://hooks.example/c", events: [.streamStarted]), scope: .serverAdmin
            )
            var queued: Set<UUID> = []
            for _ in 0..<40 {
                queued.formUnion(try await first.enqueue(.streamStarted, organisation: organisation.id, payload: Self.payload, now: t0).map(\.id))
            }
            async let a = first.claimDueDeliveries(now: t0 + 1, limit: 200, lease: 60)
            async let b = second.claimDueDeliveries(now: t0 + 1, limit: 200, lease: 60)
            let (claimedA, claimedB) = try await (Set(a.map(\.delivery.id)), Set(b.map(\.delivery.id)))
            #expect(claimedA.isDisjoint(with: claimedB), "\(claimedA.intersection(claimedB).count) deliveries claimed twice")
            #expect(claimedA.union(claimedB) == queued)

            // Claimed: not due while the lease runs; due again after it, as if the sender had died.
            #expect(try await first.claimDueDeliveries(now: t0 + 30, limit: 200, lease: 60).isEmpty)
            #expect(Set(try await second.claimDueDeliveries(now: t0 + 62, limit: 200, lease: 60).map(\.delivery.id)) == queued)
            await first.shutdown()
            await second.shutdown()
        }
    }

    @Test("a reopened store still has the pending delivery", arguments: Backend.allCases)
    func survivesRestart(_ backend: Backend) async throws {
        try await withLocation(backend) { location in
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)
            let first = try await ControlStore.open(database: location, logger: testLogger)
            let organisation = try await first.createOrganisation(name: "Restart", scope: .serverAdmin)
            let hook = try await first.createWebhook(
                organisation: organisation.id, NewWebhook(url: "https://hooks.example/r", events: [.streamStopped]), scope: .serverAdmin
            )
            let queued = try await first.enqueue(.streamStopped, organisation: organisation.id, payload: Self.payload, now: t0)
            await first.shutdown()

            let second = try await ControlStore.open(database: location, logger: testLogger)
            let due = try await second.dueDeliveries(now: t0 + 1, limit: 10)
            await second.shutdown()
            #expect(due.map(\.delivery) == queued)
            #expect(due.first?.secret == hook.secret)
        }
    }

    @Test("pending deliveries of a deactivated webhook wait; deleting it drops them", arguments: Backend.allCases)
    func inactiveWebhook(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let hook = try await store.createWebhook(
                organisation: orgs.a.id, NewWebhook(url: "https://hooks.example/p", events: [.streamStarted]), scope: orgs.scopeA
            )
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)
            _ = try await store.enqueue(.streamStarted, organisation: orgs.a.id, payload: "{}", now: t0)
            _ = try await store.updateWebhook(id: hook.webhook.id, WebhookUpdate(active: false), scope: orgs.scopeA)
            #expect(try await store.dueDeliveries(now: t0, limit: 10).isEmpty)
            #expect(try await store.enqueue(.streamStarted, organisation: orgs.a.id, payload: "{}", now: t0).isEmpty)
            _ = try await store.updateWebhook(id: hook.webhook.id, WebhookUpdate(active: true), scope: orgs.scopeA)
            #expect(try await store.dueDeliveries(now: t0, limit: 10).count == 1)
            try await store.deleteWebhook(id: hook.webhook.id, scope: orgs.scopeA)
            #expect(try await store.dueDeliveries(now: t0, limit: 10).isEmpty)
        }
    }

    @Test func backoffDoublesAndIsCapped() {
        #expect(WebhookBackoff.delay(afterAttempts: 1) == 10)
        #expect(WebhookBackoff.delay(afterAttempts: 2) == 20)
        #expect(WebhookBackoff.delay(afterAttempts: 5) == 160)
        #expect(WebhookBackoff.delay(afterAttempts: 30) == WebhookBackoff.maximumDelaySeconds)
        #expect(WebhookBackoff.delay(afterAttempts: 1_000) == WebhookBackoff.maximumDelaySeconds)
    }
}
