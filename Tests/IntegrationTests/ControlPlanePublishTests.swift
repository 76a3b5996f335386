import Control
import Foundation
import Manifests
import Testing

/// Control plane, live effect (issue: control plane): a channel and key created in the control
/// plane's store publish at once, with real ffmpeg; a revoked key is refused.
@Suite(.serialized) struct ControlPlanePublishTests {
    @Test func aChannelCreatedInTheStorePublishesAtOnce() async throws {
        let server = try await TestServer.start(channels: [])
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
}
