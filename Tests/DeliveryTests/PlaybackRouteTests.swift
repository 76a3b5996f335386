import Foundation
import Hummingbird
import HummingbirdTesting
import Manifests
import NIOCore
import Packager
import Testing
@testable import Delivery
import TestSupport

/// The playback routes of a token channel next to a public one, over a packaged live channel
/// (control plane: playback authorisation with HMAC-signed URLs).
@Suite(.serialized) struct PlaybackRouteTests {
    static let now = LiveChannelFixture.now / 1000
    static let secret = Array(repeating: UInt8(7), count: 32)

    struct Setup: Sendable {
        let routes: PlaybackRoutes
        let signer: PlaybackSigner
        let sealed: LiveChannelFixture
        let open: LiveChannelFixture
        let log: LogCapture
    }

    static func withSetup(_ body: @escaping @Sendable (Setup, any TestClientProtocol) async throws -> Void) async throws {
        let registry = PackagerRegistry()
        let sealed = try await LiveChannelFixture(name: "sealed", registry: registry)
        let open = try await LiveChannelFixture(name: "open", registry: registry)
        defer { sealed.stop(); open.stop() }
        let signer = try PlaybackSigner(keys: PlaybackKeys([(id: "k1", secret: secret)]))
        let access = PlaybackAccess(signer: signer, tokenChannels: ["sealed"])
        let log = LogCapture()
        let routes = PlaybackRoutes(
            packagers: registry, access: access, thumbnails: FixedThumbnail(), logger: log.logger(), now: { LiveChannelFixture.now })
        let setup = Setup(routes: routes, signer: signer, sealed: sealed, open: open, log: log)
        try await PlaybackServer.serve(routes) { client in try await body(setup, client) }
    }

    static func get(_ client: any TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get)
    }

    /// Every URI of every playlist, followed from the multivariant playlist, carries the token, and
    /// each one answers.
    @Test func theTokenCarriesOnToEveryURI() async throws {
        try await Self.withSetup { setup, client in
            let token = try setup.signer.sign(channel: "sealed", expiresAt: Self.now + 600, session: "viewer-1")
            let suffix = "?token=\(token)"
            let master = try await Self.get(client, "/hls/sealed/master.m3u8\(suffix)")
            #expect(master.status == .ok)
            #expect(master.headers[.cacheControl] == "private, max-age=2")
            let multivariant = try MultivariantPlaylist.parse(String(buffer: master.body))
            let playlists = multivariant.variants.map(\.uri) + multivariant.renditions.compactMap(\.uri)
            #expect(playlists.sorted() == ["audio/index.m3u8\(suffix)", "source/index.m3u8\(suffix)"])

            var kinds: [String: Int] = [:]
            for playlistURI in playlists {
                let rendition = String(playlistURI.prefix { $0 != "/" })
                let response = try await Self.get(client, "/hls/sealed/\(playlistURI)")
                #expect(response.status == .ok, "\(playlistURI)")
                #expect(response.headers[.cacheControl] == "private, max-age=1")
                let text = String(buffer: response.body)
                let media = try MediaPlaylist.parse(text)
                let maps = media.segments.compactMap { $0.map?.uri }
                let segments = media.segments.map(\.uri)
                let parts = media.segments.flatMap { $0.parts.map(\.uri) } + (media.inProgressSegment?.parts.map(\.uri) ?? [])
                let hints = [media.preloadHint?.uri].compactMap { $0 }
                let reports = media.renditionReports.map(\.uri)
                kinds["map", default: 0] += maps.count
                kinds["segment", default: 0] += segments.count
                kinds["part", default: 0] += parts.count
                kinds["hint", default: 0] += hints.count
                kinds["report", default: 0] += reports.count
                for uri in maps + segments + parts + hints + reports {
                    #expect(uri.hasSuffix(suffix), "\(uri) in \(playlistURI)")
                }
                // Every line that is not a tag is a URI with the token; every URI attribute too.
                for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                    #expect(line.hasSuffix(suffix), "\(line)")
                }
                #expect(text.components(separatedBy: "URI=\"").count - 1 == text.components(separatedBy: "\(suffix)\"").count - 1)
                // Resolved against the media playlist, as a player does; all but the hint exist.
                for uri in maps + segments + parts {
                    let fetched = try await Self.get(client, "/hls/sealed/\(rendition)/\(uri)")
                    #expect(fetched.status == .ok, "\(rendition)/\(uri)")
                    #expect(fetched.headers[.cacheControl] == "public, max-age=31536000, immutable")
                }
                for uri in reports {
                    #expect(uri.hasPrefix("../"))
                    // Resolved as a player does (RFC 3986 §5.2), dot segments removed.
                    let base = try #require(URL(string: "http://origin/hls/sealed/\(rendition)/index.m3u8"))
                    let resolved = try #require(URL(string: uri, relativeTo: base)?.absoluteURL)
                    #expect(resolved.path.hasPrefix("/hls/sealed/") && !resolved.path.contains(".."))
                    let target = resolved.path + "?" + (resolved.query ?? "")
                    #expect(try await Self.get(client, target).status == .ok, "\(target)")
                }
                // The same media without the token is refused.
                let bare = try #require(segments.last?.split(separator: "?").first)
                #expect(try await Self.get(client, "/hls/sealed/\(rendition)/\(bare)").status == .unauthorized)
            }
            #expect(kinds["map"]! >= 2 && kinds["segment"]! >= 4 && kinds["part"]! >= 2 && kinds["hint"]! == 2 && kinds["report"]! == 2,
                    "\(kinds)")
            let thumbnail = try await Self.get(client, "/hls/sealed/thumbnail.jpg\(suffix)")
            #expect(thumbnail.status == .ok)
            #expect(thumbnail.headers[.cacheControl] == "public, max-age=5")
        }
    }

    /// Blocking playlist reload and delta updates work next to the token, in either order.
    @Test func llhlsQueriesNextToTheToken() async throws {
        try await Self.withSetup { setup, client in
            let token = try setup.signer.sign(channel: "sealed", expiresAt: Self.now + 600)
            let plain = try MediaPlaylist.parse(String(buffer: try await Self.get(client, "/hls/sealed/source/index.m3u8?token=\(token)").body))
            let last = try #require(plain.segments.last).uri.split(separator: ".").first.flatMap { Int($0) }
            let msn = try #require(last)
            for query in ["token=\(token)&_HLS_msn=\(msn)&_HLS_part=0", "_HLS_msn=\(msn)&token=\(token)"] {
                let blocked = try await Self.get(client, "/hls/sealed/source/index.m3u8?\(query)")
                #expect(blocked.status == .ok, "\(query)")
                // It holds the viewer's token: shared caches must not keep it.
                #expect(blocked.headers[.cacheControl] == "private, max-age=1")
                #expect(String(buffer: blocked.body).contains("\(msn).m4s?token=\(token)"))
            }
            let delta = try await Self.get(client, "/hls/sealed/source/index.m3u8?_HLS_skip=YES&token=\(token)")
            #expect(delta.status == .ok)
            let text = String(buffer: delta.body)
            #expect(text.contains("#EXT-X-SKIP:SKIPPED-SEGMENTS="))
            for line in text.split(separator: "\n") where !line.hasPrefix("#") { #expect(line.hasSuffix("?token=\(token)")) }
            // A refused token is answered at once, without holding the request.
            let refused = try await Self.get(client, "/hls/sealed/source/index.m3u8?_HLS_msn=\(msn + 1)&token=\(token.dropLast())A")
            #expect(refused.status == .forbidden)
        }
    }

    /// 401 without a token, 403 for a bad one, 410 for an expired one; never cached; on every route.
    @Test func refusals() async throws {
        try await Self.withSetup { setup, client in
            let valid = try setup.signer.sign(channel: "sealed", expiresAt: Self.now + 600)
            let expired = try setup.signer.sign(channel: "sealed", expiresAt: Self.now)
            let otherChannel = try setup.signer.sign(channel: "open", expiresAt: Self.now + 600)
            let stranger = try PlaybackSigner(keys: PlaybackKeys([(id: "k1", secret: Array(repeating: 9, count: 32))]))
                .sign(channel: "sealed", expiresAt: Self.now + 600)
            var tampered = Array(valid.utf8)
            tampered[tampered.count / 2] = tampered[tampered.count / 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            let cases: [(query: String, status: HTTPResponse.Status)] = [
                ("", .unauthorized), ("?token=", .unauthorized), ("?other=1", .unauthorized),
                ("?token=\(String(decoding: tampered, as: UTF8.self))", .forbidden),
                ("?token=\(otherChannel)", .forbidden), ("?token=\(stranger)", .forbidden),
                ("?token=not-a-token", .forbidden), ("?token=\(String(repeating: "A", count: 5_000))", .forbidden),
                ("?token=\(expired)", .gone),
            ]
            for path in ["master.m3u8", "thumbnail.jpg", "source/index.m3u8", "audio/index.m3u8", "source/init.mp4",
                         "source/1.m4s", "source/1.0.m4s", "audio/2.m4s", "nope/index.m3u8"] {
                for (query, status) in cases {
                    let response = try await Self.get(client, "/hls/sealed/\(path)\(query)")
                    #expect(response.status == status, "\(path)\(query.prefix(20))")
                    #expect(response.headers[.cacheControl] == "no-store")
                    if status == .unauthorized {
                        #expect(response.headers[.wwwAuthenticate] != nil)
                        #expect(String(buffer: response.body).contains("token is required"))
                    }
                }
                let head = try await client.execute(uri: "/hls/sealed/\(path)", method: .head)
                #expect(head.status == .unauthorized, "HEAD \(path)")
            }
            #expect(try await Self.get(client, "/hls/sealed/source/1.m4s?token=\(valid)").status == .ok)
            // A name no route serves is a 404 before any token is looked at: it says nothing of the channel.
            for query in ["", "?token=\(valid)"] {
                #expect(try await Self.get(client, "/hls/sealed/source/nope.txt\(query)").status == .notFound)
            }
        }
    }

    /// Two viewers of the same live window share its rendering, yet each playlist holds only its
    /// viewer's token, on every URI.
    @Test func viewersOfOneWindowGetTheirOwnTokens() async throws {
        try await Self.withSetup { setup, client in
            let tokens = try ["viewer-1", "viewer-2", "viewer-1"].map {
                try setup.signer.sign(channel: "sealed", expiresAt: Self.now + 600, session: $0)
            }
            var bodies: [String] = []
            for token in tokens {
                let response = try await Self.get(client, "/hls/sealed/source/index.m3u8?token=\(token)")
                #expect(response.status == .ok && response.headers[.cacheControl] == "private, max-age=1")
                bodies.append(String(buffer: response.body))
            }
            for (token, body) in zip(tokens, bodies) {
                let uris = body.split(separator: "\n").filter { !$0.hasPrefix("#") }
                #expect(!uris.isEmpty && uris.allSatisfy { $0.hasSuffix("?token=\(token)") })
                #expect(!body.contains("\u{1}"))
                for other in tokens where other != token { #expect(!body.contains(other)) }
            }
            #expect(bodies[0] == bodies[2])
            #expect(bodies[0].replacingOccurrences(of: tokens[0], with: tokens[1]) == bodies[1])
        }
    }

    /// A public channel needs no token and its playlists stay shareable: a token given anyway is
    /// not copied into them.
    @Test func publicChannelsAreUntouched() async throws {
        try await Self.withSetup { setup, client in
            let master = try await Self.get(client, "/hls/open/master.m3u8")
            #expect(master.status == .ok)
            #expect(master.headers[.cacheControl] == "public, max-age=2")
            let token = try setup.signer.sign(channel: "open", expiresAt: Self.now + 600)
            let withToken = try await Self.get(client, "/hls/open/source/index.m3u8?token=\(token)")
            #expect(withToken.status == .ok)
            #expect(withToken.headers[.cacheControl] == "public, max-age=1")
            #expect(!String(buffer: withToken.body).contains("token"))
            #expect(try await Self.get(client, "/hls/open/source/1.m4s?token=garbage").status == .ok)
        }
    }

    /// Refusals are logged with their reason; no log line holds a token.
    @Test func tokensStayOutOfTheLog() async throws {
        try await Self.withSetup { setup, client in
            let valid = try setup.signer.sign(channel: "sealed", expiresAt: Self.now + 600)
            let expired = try setup.signer.sign(channel: "sealed", expiresAt: Self.now)
            let wrong = try setup.signer.sign(channel: "open", expiresAt: Self.now + 600)
            let tokens = [valid, expired, wrong]
            for token in tokens {
                _ = try await Self.get(client, "/hls/sealed/master.m3u8?token=\(token)")
                _ = try await Self.get(client, "/hls/sealed/source/1.m4s?token=\(token)")
                _ = try await Self.get(client, "/hls/sealed/source/99999.m4s?token=\(token)")
                _ = try await Self.get(client, "/hls/sealed/nope/index.m3u8?token=\(token)")
            }
            _ = try await Self.get(client, "/hls/sealed/master.m3u8")
            let logged = setup.log.text
            #expect(logged.contains("playback refused") && logged.contains("reason=expired token")
                    && logged.contains("reason=invalid token: wrong channel") && logged.contains("reason=missing token"), "\(logged)")
            #expect(setup.log.count >= 4)
            for token in tokens {
                #expect(!logged.contains(token))
                #expect(!logged.contains(token.suffix(24)), "the MAC part of a token is in the log")
            }
        }
    }
}

/// A thumbnail source with one picture for every channel.
struct FixedThumbnail: ThumbnailSource {
    func thumbnail(of channel: any LiveChannelWindow) async -> ByteBuffer? {
        ByteBuffer(bytes: [0xFF, 0xD8, 0xFF, 0xE0])
    }
}
