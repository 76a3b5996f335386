import Control
import Foundation
import Testing
import TestSupport

@Suite("Channels")
struct ChannelTests {
    @Test("names are unique across organisations, ignoring case", arguments: Backend.allCases)
    func uniqueNames(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let demo = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "demo"), scope: orgs.scopeA)

            let sameOrg = await controlError { _ = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "demo"), scope: orgs.scopeA) }
            #expect(sameOrg == .conflict("channel name demo is taken"))
            let otherOrg = await controlError { _ = try await store.createChannel(organisation: orgs.b.id, NewChannel(name: "demo"), scope: orgs.scopeB) }
            #expect(otherOrg == .conflict("channel name demo is taken"))
            let otherCase = await controlError { _ = try await store.createChannel(organisation: orgs.b.id, NewChannel(name: "DEMO"), scope: orgs.scopeB) }
            #expect(otherCase == .conflict("channel name DEMO is taken"))

            let other = try await store.createChannel(organisation: orgs.b.id, NewChannel(name: "other"), scope: orgs.scopeB)
            let rename = await controlError { _ = try await store.updateChannel(id: other.id, ChannelUpdate(name: "Demo"), scope: orgs.scopeB) }
            #expect(rename == .conflict("channel name Demo is taken"))

            // Lookups by name are exact, as in a URL.
            #expect(try await store.channel(named: "demo") == demo)
            #expect(try await store.channel(named: "Demo") == nil)
            #expect(try await store.channel(named: "../demo") == nil)

            // A channel may change the case of its own name, and a freed name can be reused.
            let recased = try await store.updateChannel(id: demo.id, ChannelUpdate(name: "Demo"), scope: orgs.scopeA)
            #expect(recased.name == "Demo")
            try await store.deleteChannel(id: demo.id, scope: orgs.scopeA)
            _ = try await store.createChannel(organisation: orgs.b.id, NewChannel(name: "demo"), scope: orgs.scopeB)
        }
    }

    @Test("settings round-trip through create, update and get", arguments: Backend.allCases)
    func settings(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let created = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "tv_1"), scope: orgs.scopeA)
            #expect(created.ladder == "passthrough")
            #expect(created.archive == .disabled)
            #expect(created.visibility == .public)
            #expect(try await store.channel(id: created.id, scope: orgs.scopeA) == created)

            let ladder = #"{"rungs":[{"name":"720p","height":720,"videoBitrate":"2500k"}]}"#
            let archive = ArchiveSettings(enabled: true, retentionSeconds: 7 * 86_400, retentionBytes: 500 << 30)
            let updated = try await store.updateChannel(
                id: created.id, ChannelUpdate(ladder: ladder, archive: archive, visibility: .token), scope: orgs.scopeA
            )
            #expect(updated.name == "tv_1")
            #expect(updated.ladder == ladder)
            #expect(updated.archive == archive)
            #expect(updated.visibility == .token)
            #expect(try await store.channel(id: created.id, scope: .serverAdmin) == updated)
            #expect(try await store.channel(named: "tv_1") == updated)
        }
    }

    @Test("P2P is off unless asked, and follows updates and the configuration's declaration", arguments: Backend.allCases)
    func p2p(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let plain = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "plain"), scope: orgs.scopeA)
            #expect(!plain.p2p)
            let shared = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "shared", p2p: true), scope: orgs.scopeA)
            #expect(shared.p2p)
            #expect(try await store.channel(named: "shared")?.p2p == true)
            let off = try await store.updateChannel(id: shared.id, ChannelUpdate(p2p: false), scope: orgs.scopeA)
            #expect(!off.p2p)
            // An update of other fields leaves it as it is.
            let on = try await store.updateChannel(id: plain.id, ChannelUpdate(p2p: true), scope: orgs.scopeA)
            #expect(try await store.updateChannel(id: plain.id, ChannelUpdate(visibility: .token), scope: orgs.scopeA).p2p == on.p2p)
            #expect(try await store.channels(ids: [plain.id, shared.id]).map(\.p2p).sorted { !$0 && $1 } == [false, true])

            // The configuration wins at each start, as for the other declared settings.
            func declare(p2p: Bool) async throws -> Channel {
                let declared = DeclaredChannel(
                    name: "tv", streamKey: "primary-secret-1", ladder: "passthrough", archive: .disabled, visibility: .public, p2p: p2p)
                return try #require(try await store.declare([declared]).first)
            }
            let declared = try await declare(p2p: true)
            #expect(declared.p2p)
            _ = try await store.updateChannel(id: declared.id, ChannelUpdate(p2p: false), scope: .serverAdmin)
            #expect(try await declare(p2p: true).p2p)
            #expect(try await !declare(p2p: false).p2p)
        }
    }

    @Test("events: create, update, list, delete", arguments: Backend.allCases)
    func events(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "sports"), scope: orgs.scopeA)
            let start = Date(timeIntervalSince1970: 1_800_000_000.125)
            let event = try await store.createEvent(
                channel: channel.id,
                NewEvent(title: "Final", startsAt: start, endsAt: start + 5400, posterURL: "https://cdn.example/final.jpg"),
                scope: orgs.scopeA
            )
            #expect(try await store.event(id: event.id, scope: orgs.scopeA) == event)
            #expect(event.startsAt == start)

            let moved = try await store.updateEvent(
                id: event.id, EventUpdate(startsAt: start + 600, endsAt: start + 6000, posterURL: .some(nil)), scope: orgs.scopeA
            )
            #expect(moved.posterURL == nil)
            #expect(moved.endsAt == start + 6000)
            let backwards = await controlError {
                _ = try await store.updateEvent(id: event.id, EventUpdate(endsAt: start), scope: orgs.scopeA)
            }
            #expect(backwards == .invalid(field: "endsAt", reason: "must be later than startsAt"))
            #expect(try await store.event(id: event.id, scope: orgs.scopeA) == moved)

            #expect(try await store.events(channel: channel.id, scope: orgs.scopeA).items == [moved])
            try await store.deleteEvent(id: event.id, scope: orgs.scopeA)
            #expect(try await store.events(channel: channel.id, scope: orgs.scopeA).items.isEmpty)
        }
    }
}
