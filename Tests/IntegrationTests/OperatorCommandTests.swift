import Control
import Foundation
import Testing
@testable import AntenneServer

/// `antenne channel create|list|rotate-key` and `antenne token create` act on the database the
/// server uses (issue: control plane, CLI for operators).
@Suite struct OperatorCommandTests {
    @Test func channelCreateAndRotateKeyWorkOnTheServersDatabase() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var create = try ChannelCommand.Create.parse(["--data-dir", directory, "--organisation", "Fed A", "match1", "--ladder", "mobile"])
        try await create.run()
        var rotate = try ChannelCommand.RotateKey.parse(["--data-dir", directory, "match1"])
        try await rotate.run()
        var token = try TokenCommand.Create.parse(["--data-dir", directory, "--organisation", "Fed A", "--role", "readOnly"])
        try await token.run()

        let store = try await ControlStore.open(database: .sqlite(path: directory + "/control.sqlite"))
        defer { Task { await store.shutdown() } }
        let channel = try #require(try await store.channel(named: "match1"))
        #expect(channel.ladder == "mobile")
        let keys = try await store.streamKeys(channel: channel.id, scope: .serverAdmin)
        #expect(keys.items.count == 2)
        #expect(keys.items.filter { $0.revokedAt == nil }.count == 1, "rotate-key revokes the old key")
        let organisations = try await store.organisations(scope: .serverAdmin)
        #expect(organisations.items.map(\.name) == ["Fed A"], "the organisation is found again, not created twice")
        let tokens = try await store.tokens(scope: .serverAdmin)
        #expect(tokens.items.map(\.role) == [.readOnly])

        var duplicate = try ChannelCommand.Create.parse(["--data-dir", directory, "--organisation", "Fed A", "match1"])
        await #expect(throws: ControlError.self) { try await duplicate.run() }
    }
}
