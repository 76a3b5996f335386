import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Packager
import Testing
@testable import Delivery

/// The watch pages, the lineup and the player's modules (ARCHITECTURE.md, Contracts: Player),
/// over a public and a token channel that are live.
@Suite(.serialized) struct PageRoutesTests {
    static func withPages(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let registry = PackagerRegistry()
        let sealed = try await LiveChannelFixture(name: "sealed", registry: registry)
        let open = try await LiveChannelFixture(name: "open", registry: registry)
        defer { sealed.stop(); open.stop() }
        let router = Router(options: .autoGenerateHeadEndpoints)
        PageRoutes(packagers: registry, access: PlaybackAccess(signer: nil, tokenChannels: ["sealed"]), isReady: { true })
            .add(to: router)
        try await Application(router: router).test(.router) { client in try await body(client) }
    }

    @Test func theLineupListsPublicLiveChannelsOnly() async throws {
        try await Self.withPages { client in
            let response = try await client.execute(uri: "/watch/channels.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(String(buffer: response.body) == """
                {"channels":[{"master":"hls/open/master.m3u8","name":"open","thumbnail":"hls/open/thumbnail.jpg","watch":"watch/open"}]}
                """)
            let page = try await client.execute(uri: "/watch", method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("lineupPage()"))
        }
    }

    @Test func theWatchPageLoadsThePlayerForItsChannel() async throws {
        try await Self.withPages { client in
            let page = try await client.execute(uri: "/watch/open", method: .get)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("watchPage(\"open\")"))
            #expect(html.contains("<link rel=\"modulepreload\" href=\"/player/antenne.js\">"))
            #expect(html.contains("id=\"player\"") && html.contains("id=\"status\"") && html.contains("id=\"channels\""))
            #expect(try await client.execute(uri: "/watch/nothing", method: .get).status == .notFound)
        }
    }

    @Test func modulesAreServedWithAValidator() async throws {
        try await Self.withPages { client in
            let response = try await client.execute(uri: "/player/antenne.js", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            let etag = try #require(response.headers[.eTag])
            #expect(String(buffer: response.body).contains("export function createPlayer"))
            let again = try await client.execute(uri: "/player/antenne.js", method: .get, headers: [.ifNoneMatch: "\"x\", \(etag)"])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            let changed = try await client.execute(uri: "/player/antenne.js", method: .get, headers: [.ifNoneMatch: "\"x\""])
            #expect(changed.status == .ok)
            #expect(try await client.execute(uri: "/player/missing.js", method: .get).status == .notFound)
        }
    }

    /// A module added to Sources/Delivery/Player but not to `PlayerAssets.files` would be a 404 in
    /// every browser.
    @Test func everyImportedModuleIsServed() throws {
        let imports = try Regex(#"from "\./([a-z0-9]+\.js)""#)
        for (name, asset) in PlayerAssets.files {
            let source = String(buffer: asset.body)
            for match in source.matches(of: imports) {
                let imported = String(source[match.output[1].range!])
                #expect(PlayerAssets.files[imported] != nil, "\(name) imports \(imported)")
            }
        }
        // Every module of the directory, whoever adds one.
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/Delivery/Player")
        let modules = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".js") }
        #expect(Set(PlayerAssets.files.keys) == Set(modules))
    }

    @Test func aChannelNameCannotEndTheScript() {
        #expect(WatchPage.javaScriptString("a</script>\"\\\n") == #""a\u003c/script>\"\\\u000a""#)
    }
}
