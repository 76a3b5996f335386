import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Manifests
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Packager
import Testing
@testable import Delivery

/// Live playback requests answered on the event loop (``LivePlaybackHandler``): the same answers as
/// the routes, only for requests that need nothing more, and in request order.
@Suite(.serialized) struct LivePlaybackHandlerTests {
    /// The routes of `PlaybackRouteTests`: a public channel `open` and a token channel `sealed`.
    static func withRoutes(_ body: @escaping @Sendable (PlaybackRoutes, any TestClientProtocol) async throws -> Void) async throws {
        try await PlaybackRouteTests.withSetup { setup, client in try await body(setup.routes, client) }
    }

    static func get(_ path: String, _ headers: HTTPFields = [:]) -> HTTPRequest {
        HTTPRequest(method: .get, scheme: nil, authority: nil, path: path, headerFields: headers)
    }

    /// Every file a live playlist lists, and the playlist itself, answered here exactly as the
    /// routes answer it: status, headers and bytes.
    @Test func answersWhatTheRoutesAnswer() async throws {
        try await Self.withRoutes { routes, client in
            for rendition in ["source", "audio"] {
                let base = "/hls/open/\(rendition)/"
                let playlist = try await client.execute(uri: base + "index.m3u8", method: .get)
                let media = try MediaPlaylist.parse(String(buffer: playlist.body))
                let files = ["index.m3u8"] + media.segments.compactMap { $0.map?.uri } + media.segments.map(\.uri)
                    + media.segments.flatMap { $0.parts.map(\.uri) } + (media.inProgressSegment?.parts.map(\.uri) ?? [])
                #expect(files.count > 10, "\(files)")
                for file in Set(files) {
                    let routed = try await client.execute(uri: base + file, method: .get)
                    let immediate = try #require(routes.immediateResponse(to: Self.get(base + file)), "\(base + file)")
                    #expect(immediate.status == routed.status, "\(file)")
                    #expect(ByteBuffer(bytes: immediate.body.flatMap(\.readableBytesView)) == routed.body, "\(file)")
                    var expected = routed.headers
                    expected[.contentLength] = nil
                    #expect(immediate.headers == expected, "\(file)")
                }
            }
        }
    }

    /// Whatever needs more than a lookup goes on to the routes.
    @Test func leavesTheRestToTheRoutes() async throws {
        try await Self.withRoutes { routes, _ in
            let snapshot = try #require(routes.packagers.channel(named: "open")?.listedRendition(named: "source")?.snapshot())
            let last = try #require(snapshot.segments.last?.msn)
            let passed: [HTTPRequest] = [
                Self.get("/hls/open/source/index.m3u8?_HLS_msn=\(last)&_HLS_part=0"),
                Self.get("/hls/open/source/index.m3u8?dvr=60"),
                Self.get("/hls/open/source/init.mp4", [.range: "bytes=0-9"]),
                HTTPRequest(method: .head, scheme: nil, authority: nil, path: "/hls/open/source/init.mp4"),
                Self.get("/hls/open/source/\(last + 3).0.m4s"),
                Self.get("/hls/sealed/source/init.mp4"),
                Self.get("/hls/nobody/source/init.mp4"),
                Self.get("/hls/open/nothing/init.mp4"),
                Self.get("/hls/open/master.m3u8"),
                Self.get("/hls/open/source/archive/init-1.mp4"),
                Self.get("/hls/op%65n/source/init.mp4"),
                Self.get("/hls/open/source/" + String(repeating: "1", count: 600) + ".m4s"),
            ]
            for request in passed {
                #expect(routes.immediateResponse(to: request) == nil, "\(request)")
            }
        }
    }

    /// Pipelined requests: one answered here never overtakes one the application still works on.
    @Test func keepsResponsesInRequestOrder() async throws {
        try await Self.withRoutes { routes, _ in
            let channel = EmbeddedChannel(handler: routes.liveHandler(serverName: "Antenne"))
            let blocking = Self.get("/hls/open/source/index.m3u8?_HLS_msn=1000")
            let initSegment = Self.get("/hls/open/source/init.mp4", [.origin: "https://player.example"])
            for request in [blocking, initSegment] {
                try channel.writeInbound(HTTPRequestPart.head(request))
                try channel.writeInbound(HTTPRequestPart.end(nil))
            }
            // Both went on, in order, and nothing was answered ahead of the first.
            for request in [blocking, initSegment] {
                #expect(try channel.readInbound(as: HTTPRequestPart.self) == .head(request))
                #expect(try channel.readInbound(as: HTTPRequestPart.self) == .end(nil))
            }
            #expect(try channel.readOutbound(as: HTTPResponsePart.self) == nil)
            // The application answers both; then the handler answers the next one itself.
            for _ in 0..<2 {
                try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
                try channel.writeOutbound(HTTPResponsePart.end(nil))
                _ = try channel.readOutbound(as: HTTPResponsePart.self)
                _ = try channel.readOutbound(as: HTTPResponsePart.self)
            }
            try channel.writeInbound(HTTPRequestPart.head(initSegment))
            try channel.writeInbound(HTTPRequestPart.end(nil))
            #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil)
            guard case .head(let head) = try channel.readOutbound(as: HTTPResponsePart.self) else {
                Issue.record("no response head")
                return
            }
            guard case .body(let body) = try channel.readOutbound(as: HTTPResponsePart.self) else {
                Issue.record("no response body")
                return
            }
            #expect(try channel.readOutbound(as: HTTPResponsePart.self) == .end(nil))
            #expect(head.status == .ok)
            #expect(head.headerFields[.contentType] == "video/mp4")
            #expect(head.headerFields[.contentLength] == String(body.readableBytes))
            #expect(head.headerFields[.accessControlAllowOrigin] == "*")
            #expect(head.headerFields[.server] == "Antenne")
            #expect(head.headerFields[.date]?.hasSuffix(" GMT") == true)
            #expect(body == routes.packagers.channel(named: "open")?.listedRendition(named: "source")?.initSegment(index: 0))

            // Browsers say `Connection: keep-alive` and are answered here; a request that closes
            // the connection goes on, for the application to close it.
            for (value, answeredHere) in [("keep-alive", true), ("close", false), ("Keep-Alive, Close", false)] {
                try channel.writeInbound(HTTPRequestPart.head(Self.get("/hls/open/source/init.mp4", [.connection: value])))
                try channel.writeInbound(HTTPRequestPart.end(nil))
                let passedOn = try channel.readInbound(as: HTTPRequestPart.self) != nil
                #expect(passedOn != answeredHere, "\(value)")
                if passedOn {
                    _ = try channel.readInbound(as: HTTPRequestPart.self)
                    try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
                    try channel.writeOutbound(HTTPResponsePart.end(nil))
                }
                while try channel.readOutbound(as: HTTPResponsePart.self) != nil {}
            }
            _ = try channel.finish()
        }
    }

    @Test func dateHeaderIsIMFFixdate() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(1_795_339_538) == "Sun, 22 Nov 2026 09:25:38 GMT")
    }
}
