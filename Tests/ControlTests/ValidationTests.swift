import Control
import Foundation
import Testing
import TestSupport

/// Every invalid input is refused with the name of the field at fault.
@Suite("Validation")
struct ValidationTests {
    @Test("each invalid field is named", arguments: Backend.allCases)
    func fieldsAreNamed(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let scope = orgs.scopeA
            let org = orgs.a.id
            let channel = try await store.createChannel(organisation: org, NewChannel(name: "valid"), scope: scope)
            let now = Date(timeIntervalSince1970: 1_800_000_000)

            func field(_ body: () async throws -> Void) async -> String? {
                guard case .invalid(let field, _)? = await controlError(body) else { return nil }
                return field
            }

            #expect(await field { _ = try await store.createOrganisation(name: "  ", scope: .serverAdmin) } == "name")
            #expect(await field { _ = try await store.createOrganisation(name: String(repeating: "o", count: 101), scope: .serverAdmin) } == "name")
            #expect(await field { _ = try await store.createOrganisation(name: "bad\u{7}name", scope: .serverAdmin) } == "name")

            for name in ["", "has space", "slash/y", "dot.dot", "é", String(repeating: "c", count: 65)] {
                #expect(await field { _ = try await store.createChannel(organisation: org, NewChannel(name: name), scope: scope) } == "name", "\(name)")
            }
            _ = try await store.createChannel(organisation: org, NewChannel(name: String(repeating: "c", count: 64)), scope: scope)
            #expect(await field { _ = try await store.createChannel(organisation: org, NewChannel(name: "l", ladder: " "), scope: scope) } == "ladder")
            #expect(await field {
                _ = try await store.createChannel(organisation: org, NewChannel(name: "l", ladder: String(repeating: "x", count: 16_385)), scope: scope)
            } == "ladder")
            #expect(await field {
                _ = try await store.updateChannel(id: channel.id, ChannelUpdate(archive: ArchiveSettings(enabled: true, retentionSeconds: 0)), scope: scope)
            } == "archive.retentionSeconds")
            #expect(await field {
                _ = try await store.updateChannel(id: channel.id, ChannelUpdate(archive: ArchiveSettings(enabled: true, retentionBytes: 10)), scope: scope)
            } == "archive.retentionBytes")
            #expect(await field { _ = try await store.updateChannel(id: channel.id, ChannelUpdate(name: "no way"), scope: scope) } == "name")

            #expect(await field { _ = try await store.createToken(organisation: org, name: "", role: .admin, scope: scope) } == "name")
            #expect(await field { _ = try await store.createStreamKey(channel: channel.id, label: String(repeating: "k", count: 101), scope: scope) } == "label")

            #expect(await field {
                _ = try await store.createEvent(channel: channel.id, NewEvent(title: "", startsAt: now, endsAt: now + 1), scope: scope)
            } == "title")
            #expect(await field {
                _ = try await store.createEvent(channel: channel.id, NewEvent(title: "t", startsAt: now, endsAt: now), scope: scope)
            } == "endsAt")
            #expect(await field {
                _ = try await store.createEvent(channel: channel.id, NewEvent(title: "t", startsAt: now, endsAt: now + 40 * 86_400), scope: scope)
            } == "endsAt")
            #expect(await field {
                _ = try await store.createEvent(
                    channel: channel.id, NewEvent(title: "t", startsAt: now, endsAt: now + 1, posterURL: "javascript:alert(1)"), scope: scope
                )
            } == "posterURL")

            for url in ["ftp://example.com/x", "example.com/hook", "https://", "https://exa mple.com/",
                        "https://example.com/" + String(repeating: "p", count: 2_048)] {
                #expect(await field {
                    _ = try await store.createWebhook(organisation: org, NewWebhook(url: url, events: [.streamStarted]), scope: scope)
                } == "url", "\(url.prefix(40))")
            }
            #expect(await field {
                _ = try await store.createWebhook(organisation: org, NewWebhook(url: "https://example.com/", events: []), scope: scope)
            } == "events")

            #expect(await field { _ = try await store.enqueue(.streamStarted, organisation: org, payload: "not json") } == "payload")
            let big = "{\"x\":\"" + String(repeating: "a", count: ControlLimits.webhookPayloadBytes) + "\"}"
            #expect(await field { _ = try await store.enqueue(.streamStarted, organisation: org, payload: big) } == "payload")
            #expect(await field { _ = try await store.dueDeliveries(limit: 0) } == "limit")
        }
    }

    @Test("webhooks per organisation are limited", arguments: Backend.allCases)
    func webhookLimit(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            for index in 0..<ControlLimits.webhooksPerOrganisation {
                _ = try await store.createWebhook(
                    organisation: orgs.a.id, NewWebhook(url: "https://h.example/\(index)", events: [.streamStarted]), scope: orgs.scopeA
                )
            }
            let over = await controlError {
                _ = try await store.createWebhook(
                    organisation: orgs.a.id, NewWebhook(url: "https://h.example/x", events: [.streamStarted]), scope: orgs.scopeA
                )
            }
            #expect(over == .limitExceeded(what: "webhooks per organisation", limit: ControlLimits.webhooksPerOrganisation))
            // Another organisation has its own allowance.
            _ = try await store.createWebhook(
                organisation: orgs.b.id, NewWebhook(url: "https://h.example/b", events: [.streamStarted]), scope: orgs.scopeB
            )
        }
    }
}
