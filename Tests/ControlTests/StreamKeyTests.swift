import Crypto
import FluentKit
import Foundation
import Testing

@testable import Control
import TestSupport

@Suite("Stream keys")
struct StreamKeyTests {
    @Test("only the SHA-256 of a key is stored; the key resolves to its channel", arguments: Backend.allCases)
    func hashedAtRest(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "hashed"), scope: orgs.scopeA)
            let created = try await store.createStreamKey(channel: channel.id, label: "Encoder 1", scope: orgs.scopeA)
            let key = created.secret.value

            #expect(key.hasPrefix("sk_"))
            #expect(key.count == 3 + 32)  // 24 bytes in unpadded base64url
            let row = try #require(try await StreamKeyRow.find(created.key.id, on: store.database))
            #expect(row.keyHash != key)
            #expect(!row.keyHash.contains(key))
            let expected = SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(row.keyHash == expected)

            #expect(try await store.channel(forStreamKey: key) == channel)
            #expect(try await store.channel(forStreamKey: key + "x") == nil)
            #expect(try await store.channel(forStreamKey: String(key.dropLast())) == nil)
            #expect(try await store.channel(forStreamKey: row.keyHash) == nil)
            #expect(try await store.channel(forStreamKey: "") == nil)
        }
    }

    @Test("the server checks its live publishes' keys and running channels in batches", arguments: Backend.allCases)
    func liveChecks(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let kept = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "kept"), scope: orgs.scopeA)
            let gone = try await store.createChannel(organisation: orgs.b.id, NewChannel(name: "gone"), scope: orgs.scopeB)
            let active = try await store.createStreamKey(channel: kept.id, label: "main", scope: orgs.scopeA)
            let revoked = try await store.createStreamKey(channel: kept.id, label: "old", scope: orgs.scopeA)
            let deleted = try await store.createStreamKey(channel: gone.id, label: "main", scope: orgs.scopeB)

            let right = try #require(try await store.publishRight(forStreamKey: active.secret.value))
            #expect(right == PublishRight(channel: kept, keyID: active.key.id))

            _ = try await store.revokeStreamKey(id: revoked.key.id, scope: orgs.scopeA)
            try await store.deleteChannel(id: gone.id, scope: orgs.scopeB)
            // More ids than one IN list takes: unknown ones are simply absent.
            let unknown = (0..<(ControlLimits.lookupBatch + 10)).map { _ in UUID() }
            let keys = [revoked.key.id] + unknown + [active.key.id, deleted.key.id]
            #expect(try await store.activeStreamKeys(among: keys) == [active.key.id])
            #expect(try await store.activeStreamKeys(among: []) == [])
            let channels = try await store.channels(ids: unknown + [gone.id, kept.id])
            #expect(channels == [kept])
        }
    }

    @Test("a revoked key no longer resolves", arguments: Backend.allCases)
    func revokedKeyDoesNotResolve(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "revoke"), scope: orgs.scopeA)
            let first = try await store.createStreamKey(channel: channel.id, label: "main", scope: orgs.scopeA)
            let second = try await store.createStreamKey(channel: channel.id, label: "backup", scope: orgs.scopeA)

            let revoked = try await store.revokeStreamKey(id: first.key.id, scope: orgs.scopeA)
            #expect(revoked.isRevoked)
            #expect(try await store.channel(forStreamKey: first.secret.value) == nil)
            #expect(try await store.channel(forStreamKey: second.secret.value) == channel)
            // Idempotent.
            #expect(try await store.revokeStreamKey(id: first.key.id, scope: orgs.scopeA) == revoked)
        }
    }

    @Test("rotate creates a new key and revokes the old one in one step", arguments: Backend.allCases)
    func rotate(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "rotate"), scope: orgs.scopeA)
            let old = try await store.createStreamKey(channel: channel.id, label: "main", scope: orgs.scopeA)

            let new = try await store.rotateStreamKey(id: old.key.id, scope: orgs.scopeA)
            #expect(new.key.label == "main")
            #expect(new.key.channelID == channel.id)
            #expect(new.secret != old.secret)
            #expect(try await store.channel(forStreamKey: old.secret.value) == nil)
            #expect(try await store.channel(forStreamKey: new.secret.value) == channel)
            #expect(try await store.streamKey(id: old.key.id, scope: orgs.scopeA)?.isRevoked == true)

            // The old key is spent: rotating it again is a conflict and creates nothing.
            let again = await controlError { _ = try await store.rotateStreamKey(id: old.key.id, scope: orgs.scopeA) }
            #expect(again == .conflict("stream key is already revoked"))
            #expect(try await store.streamKeys(channel: channel.id, scope: orgs.scopeA).items.count == 2)
        }
    }

    @Test("concurrent rotations of one key: exactly one wins", arguments: Backend.allCases)
    func concurrentRotations(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "race"), scope: orgs.scopeA)
            let old = try await store.createStreamKey(channel: channel.id, label: "main", scope: orgs.scopeA)
            let scope = orgs.scopeA

            let outcomes = await withTaskGroup(of: Result<CreatedStreamKey, ControlError>.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        do throws(ControlError) { return .success(try await store.rotateStreamKey(id: old.key.id, scope: scope)) }
                        catch { return .failure(error) }
                    }
                }
                var outcomes: [Result<CreatedStreamKey, ControlError>] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            let winners = outcomes.compactMap { try? $0.get() }
            #expect(winners.count == 1)
            for case .failure(let error) in outcomes {
                #expect(error == .conflict("stream key is already revoked"))
            }
            let active = try await store.streamKeys(channel: channel.id, scope: scope).items.filter { !$0.isRevoked }
            #expect(active.map(\.id) == winners.map(\.key.id))
        }
    }

    @Test("keys per channel are limited", arguments: Backend.allCases)
    func limit(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "many"), scope: orgs.scopeA)
            var keys: [CreatedStreamKey] = []
            for index in 0..<ControlLimits.streamKeysPerChannel {
                keys.append(try await store.createStreamKey(channel: channel.id, label: "k\(index)", scope: orgs.scopeA))
            }
            let over = await controlError { _ = try await store.createStreamKey(channel: channel.id, label: "one more", scope: orgs.scopeA) }
            #expect(over == .limitExceeded(what: "stream keys per channel", limit: ControlLimits.streamKeysPerChannel))
            // Rotation at the limit works: the old key is revoked before the new one counts.
            _ = try await store.rotateStreamKey(id: keys[0].key.id, scope: orgs.scopeA)
            // Revoking frees a slot.
            _ = try await store.revokeStreamKey(id: keys[1].key.id, scope: orgs.scopeA)
            _ = try await store.createStreamKey(channel: channel.id, label: "after revoke", scope: orgs.scopeA)
        }
    }

    @Test("deleting a channel retires its keys", arguments: Backend.allCases)
    func deleteChannel(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "short-lived"), scope: orgs.scopeA)
            let key = try await store.createStreamKey(channel: channel.id, label: "main", scope: orgs.scopeA)
            try await store.deleteChannel(id: channel.id, scope: orgs.scopeA)
            #expect(try await store.channel(forStreamKey: key.secret.value) == nil)
            #expect(try await store.streamKey(id: key.key.id, scope: orgs.scopeA) == nil)
        }
    }
}
