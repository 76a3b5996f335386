import AntenneServer
import Control
import Foundation
import Testing
import TestSupport

/// One channel model (issue "One shape for what comes next", item 1): a channel of the
/// configuration is declared into the control plane at start, so it is an API resource and sends
/// webhooks like a channel created through the API.
@Suite(.serialized) struct DeclaredChannelTests {
    @Test(arguments: Backend.allCases)
    func aConfiguredChannelIsListedForTheServerAdminAndSendsWebhooks(database: Backend) async throws {
        let admin = "admin-" + UUID().uuidString
        let receiver = try await WebhookReceiver.start()
        let server = try await TestServer.start(channels: [("conf1", "key-conf1-secret")], database: database) { $0.adminToken = admin }
        let listed = try await HTTP.get(server.url("api/v1/channels"), headers: ["Authorization": "Bearer \(admin)"])
        #expect(listed.status == 200, "\(listed.text)")
        let page = try #require(try JSONSerialization.jsonObject(with: listed.body) as? [String: Any])
        let channels = try #require(page["items"] as? [[String: Any]], "\(listed.text)")
        let declared = try #require(channels.first { $0["name"] as? String == "conf1" }, "\(listed.text)")
        #expect(declared["organisationId"] as? String == Organisation.defaultID.uuidString.lowercased(), "\(declared)")

        let store = try #require(server.server.controlStore)
        _ = try await store.createWebhook(
            organisation: Organisation.defaultID, NewWebhook(url: receiver.url, events: [.streamStarted]), scope: .serverAdmin)
        let publisher = try Publisher.start(url: server.publishURL(key: "key-conf1-secret"))
        defer { publisher.kill() }
        let started = try await receiver.waitFor(timeout: .seconds(30)) { $0.header("Antenne-Event") == "stream.started" }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(started.body.utf8)) as? [String: Any])
        #expect((json["channel"] as? [String: Any])?["name"] as? String == "conf1")
        try await server.stop()
        await receiver.stop()
    }

    /// Declaring is idempotent, and the configuration wins: a second start with the same channel
    /// finds it again (one channel, same id), and a changed key replaces the old one.
    @Test func declaringAgainKeepsTheChannelAndReplacesAChangedKey() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-declare-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try await TestServer.start(channels: [("again1", "key-again1-first")]) { $0.dataDirectory = directory }
        let firstStore = try #require(first.server.controlStore)
        let before = try #require(try await firstStore.channel(named: "again1"))
        try await first.stop()

        let second = try await TestServer.start(channels: [("again1", "key-again1-second")]) { $0.dataDirectory = directory }
        let store = try #require(second.server.controlStore)
        let after = try #require(try await store.channel(named: "again1"))
        #expect(after.id == before.id)
        #expect(try await store.publishRight(forStreamKey: "key-again1-first") == nil, "the old key no longer publishes")
        #expect(try await store.publishRight(forStreamKey: "key-again1-second")?.channel.id == before.id)
        let keys = try await store.streamKeys(channel: before.id, scope: .serverAdmin)
        #expect(keys.items.filter { $0.revokedAt == nil }.count == 1, "\(keys.items)")
        try await second.stop()
    }

    /// A name that a channel of another organisation already has is not taken from it: the
    /// server refuses to start, with a message that says why.
    @Test func aDeclaredNameHeldByAnotherOrganisationStopsTheStart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-declare-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try await TestServer.start(channels: []) { $0.dataDirectory = directory }
        let store = try #require(first.server.controlStore)
        let organisation = try await store.createOrganisation(name: "Owner", scope: .serverAdmin)
        _ = try await store.createChannel(organisation: organisation.id, NewChannel(name: "taken1"), scope: .serverAdmin)
        try await first.stop()

        await #expect {
            _ = try await TestServer.start(channels: [("taken1", "key-taken1-secret")]) { $0.dataDirectory = directory }
        } throws: { error in
            "\(error)".contains("taken1")
        }
    }
}
