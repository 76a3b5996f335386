import Control
import Foundation
import Manifests
import Testing
import TestSupport

/// Control plane, live effect (issue: control plane): a channel and key created in the control
/// plane's store publish at once, with real ffmpeg; a revoked key is refused. SQLite and PostgreSQL.
@Suite(.serialized) struct ControlPlanePublishTests {
    @Test(arguments: Backend.allCases)
    func aChannelCreatedInTheStorePublishesAtOnce(database: Backend) async throws {
        let server = try await TestServer.start(channels: [], database: database)
        let store = try #require(server.server.controlStore)
        let organisation = try await store.createOrganisation(name: "Federation", scope: .serverAdmin)
        let channel = try await store.createChannel(organisation: organisation.id, NewChannel(name: "match1"), scope: .serverAdmin)
        let key = try await store.createStreamKey(channel: channel.id, label: "main", scope: .serverAdmin)

        let publisher = try Publisher.start(url: server.publishURL(key: key.secret.value))
        defer { publisher.kill() }
        let master = try await HTTP.waitFor(server.url("hls/match1/master.m3u8"), timeout: .seconds(30))
        let variants = try MultivariantPlaylist.parse(master.text).variants
        #expect(variants.first?.resolution == MultivariantPlaylist.Resolution(width: 640, height: 360))
        publisher.kill()
        _ = await publisher.wait(timeout: .seconds(5))

        // A revoked key no longer publishes.
        _ = try await store.revokeStreamKey(id: key.key.id, scope: .serverAdmin)
        let refused = try Publisher.start(url: server.publishURL(key: key.secret.value), seconds: 3)
        let status = await refused.wait(timeout: .seconds(20))
        #expect(status != 0, "ffmpeg must fail to publish with a revoked key")
        try await server.stop()
    }

    /// The same through the REST API: the server admin creates an organisation and its token;
    /// that token creates a channel and a key; ffmpeg publishes with the key.
    @Test(arguments: Backend.allCases)
    func aChannelCreatedThroughTheAPIPublishesAtOnce(database: Backend) async throws {
        let admin = "admin-" + UUID().uuidString
        let server = try await TestServer.start(channels: [], database: database) { $0.adminToken = admin }
        func call(_ method: String, _ path: String, token: String, _ body: [String: Any]) async throws -> [String: Any] {
            let result = try await HTTP.get(
                server.url("api/v1/\(path)"), method: method,
                headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                body: try JSONSerialization.data(withJSONObject: body))
            #expect(result.status == 201, "\(method) \(path): \(result.status) \(result.text)")
            return try #require(try JSONSerialization.jsonObject(with: result.body) as? [String: Any])
        }
        let organisation = try await call("POST", "organisations", token: admin, ["name": "Club B"])
        let organisationID = try #require(organisation["id"] as? String)
        let token = try #require(try await call("POST", "organisations/\(organisationID)/tokens", token: admin, ["name": "ops", "role": "admin"])["secret"] as? String)
        let channel = try await call("POST", "channels", token: token, ["name": "match2"])
        let channelID = try #require(channel["id"] as? String)
        let key = try #require(try await call("POST", "channels/\(channelID)/keys", token: token, ["label": "main"])["secret"] as? String)

        let unauthorised = try await HTTP.get(server.url("api/v1/channels"))
        #expect(unauthorised.status == 401)
        let publisher = try Publisher.start(url: server.publishURL(key: key))
        defer { publisher.kill() }
        let master = try await HTTP.waitFor(server.url("hls/match2/master.m3u8"), timeout: .seconds(30))
        #expect(master.text.contains("#EXT-X-STREAM-INF"))
        try await server.stop()
    }
}
