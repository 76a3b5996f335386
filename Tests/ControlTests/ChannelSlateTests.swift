import Control
import Foundation
import Testing
import TestSupport

/// A channel's slate through the store: set at creation, changed and removed by an update, read by
/// the server's slate player, validated, and the configuration's winning at each start.
@Suite("Channel slate")
struct ChannelSlateTests {
    @Test("a slate is set, changed, removed, and listed for the slate player", arguments: Backend.allCases)
    func lifecycle(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let card = ChannelSlate(source: .card, timeoutSeconds: 60)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "tv", slate: card), scope: orgs.scopeA)
            #expect(channel.slate == card)
            #expect(try await store.channelsToPlay().map(\.slate) == [card])
            let video = ChannelSlate(source: .video, path: "promo/loop.mp4")
            #expect(try await store.updateChannel(id: channel.id, ChannelUpdate(slate: .some(video)), scope: orgs.scopeA).slate == video)
            #expect(try await store.updateChannel(id: channel.id, ChannelUpdate(p2p: true), scope: orgs.scopeA).slate == video, "absent: unchanged")
            #expect(try await store.updateChannel(id: channel.id, ChannelUpdate(slate: .some(nil)), scope: orgs.scopeA).slate == nil)
            #expect(try await store.channelsToPlay().isEmpty)
        }
    }

    @Test("a card has no path, a file has one inside the media directory, a timeout is 1 s to a day", arguments: Backend.allCases)
    func validation(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "tv"), scope: orgs.scopeA)
            let refused: [(ChannelSlate, String)] = [
                (ChannelSlate(source: .card, path: "a.png"), "slate.path"),
                (ChannelSlate(source: .image), "slate.path"),
                (ChannelSlate(source: .video, path: "../a.mp4"), "slate.path"),
                (ChannelSlate(source: .video, path: "/etc/passwd"), "slate.path"),
                (ChannelSlate(source: .card, timeoutSeconds: 0), "slate.timeoutSeconds"),
                (ChannelSlate(source: .card, timeoutSeconds: 86_401), "slate.timeoutSeconds"),
            ]
            for (slate, field) in refused {
                let error = await controlError { _ = try await store.updateChannel(id: channel.id, ChannelUpdate(slate: .some(slate)), scope: orgs.scopeA) }
                guard case .invalid(let named, _)? = error else { Issue.record("\(slate) was not refused: \(String(describing: error))"); continue }
                #expect(named == field, "\(slate)")
            }
        }
    }

    @Test("the configuration's slate, absolute path and all, wins at each start", arguments: Backend.allCases)
    func declared(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let configured = ChannelSlate(source: .video, path: "/srv/media/loop.mp4")
            let declared = DeclaredChannel(
                name: "main", streamKey: "s3cret-key-1", slateStreamKey: "slate-key-1", ladder: Channel.defaultLadder, archive: .disabled,
                visibility: .public, slate: configured)
            let channel = try #require(try await store.declare([declared]).first)
            #expect(channel.slate == configured)
            _ = try await store.updateChannel(id: channel.id, ChannelUpdate(slate: .some(nil)), scope: .serverAdmin)
            #expect(try await store.declare([declared]).first?.slate == configured)
        }
    }
}
