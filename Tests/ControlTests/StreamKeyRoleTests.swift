import Foundation
import Testing

@testable import Control
import TestSupport

@Suite("Stream key roles")
struct StreamKeyRoleTests {
    @Test("a backup key publishes the channel's backup input; a rotated key keeps its role", arguments: Backend.allCases)
    func backupKeys(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "pair"), scope: orgs.scopeA)
            let primary = try await store.createStreamKey(channel: channel.id, label: "truck 1", scope: orgs.scopeA)
            let backup = try await store.createStreamKey(channel: channel.id, label: "truck 2", role: .backup, scope: orgs.scopeA)
            #expect(primary.key.role == .primary)
            #expect(backup.key.role == .backup)
            #expect(try await store.publishRight(forStreamKey: primary.secret.value)?.role == .primary)
            #expect(try await store.publishRight(forStreamKey: backup.secret.value) == PublishRight(
                channel: channel, keyID: backup.key.id, role: .backup))

            let rotated = try await store.rotateStreamKey(id: backup.key.id, scope: orgs.scopeA)
            #expect(rotated.key.role == .backup)
            #expect(try await store.publishRight(forStreamKey: rotated.secret.value)?.role == .backup)
            #expect(try await store.streamKey(id: rotated.key.id, scope: orgs.scopeA)?.role == .backup)
        }
    }

    @Test("the configuration's backup key is declared, replaced and withdrawn with the configuration", arguments: Backend.allCases)
    func declaredBackupKey(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            func declare(backup: String?) async throws -> Channel {
                let declared = DeclaredChannel(
                    name: "tv", streamKey: "primary-secret-1", backupStreamKey: backup, ladder: "passthrough",
                    archive: ArchiveSettings(enabled: false), visibility: .public)
                return try #require(try await store.declare([declared]).first)
            }
            let channel = try await declare(backup: "backup-secret-1")
            #expect(try await store.publishRight(forStreamKey: "primary-secret-1")?.role == .primary)
            #expect(try await store.publishRight(forStreamKey: "backup-secret-1") == PublishRight(
                channel: channel, keyID: try #require(try await store.publishRight(forStreamKey: "backup-secret-1")?.keyID), role: .backup))

            _ = try await declare(backup: "backup-secret-2")
            #expect(try await store.publishRight(forStreamKey: "backup-secret-1") == nil)
            #expect(try await store.publishRight(forStreamKey: "backup-secret-2")?.role == .backup)
            #expect(try await store.publishRight(forStreamKey: "primary-secret-1")?.role == .primary)

            _ = try await declare(backup: nil)
            #expect(try await store.publishRight(forStreamKey: "backup-secret-2") == nil)
            #expect(try await store.publishRight(forStreamKey: "primary-secret-1") != nil)
        }
    }
}
