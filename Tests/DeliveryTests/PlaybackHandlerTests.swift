import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Manifests
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Packager
import Testing
@testable import Delivery

/// The one playback path (``PlaybackHandler``): every playback request is answered on the event
/// loop, in request order, with ranges, HEAD, CORS and the observer applied to every answer.
@Suite(.serialized) struct PlaybackHandlerTests {
    final class Recorder: PlaybackObserver {
        let events = NIOLockedValueBox<[PlaybackEvent]>([])
        func responded(_ event: PlaybackEvent) { events.withLockedValue { $0.append(event) } }
    }

    /// A thumbnail that takes a while: an answer that needs work.
    struct SlowThumbnail: ThumbnailSource {
        func thumbnail(of channel: any LiveChannelWindow) async -> ByteBuffer? {
            try? await Task.sleep(for: .milliseconds(300))
            return ByteBuffer(bytes: [0xFF, 0xD8, 0xFF, 0xE0])
        }
    }

    static func withServer(
        _ body: @escaping @Sendable (LiveChannelFixture, Recorder, any TestClientProtocol) async throws -> Void
    ) async throws {
        let registry = PackagerRegistry()
        let fixture = try await LiveChannelFixture(name: "open", registry: registry)
        defer { fixture.stop() }
        let recorder = Recorder()
        let routes = PlaybackRoutes(packagers: registry, thumbnails: SlowThumbnail(), observer: recorder, now: { LiveChannelFixture.now })
        try await PlaybackServer.serve(routes) { client in try await body(fixture, recorder, client) }
    }

    static func get(_ path: String, _ headers: HTTPFields = [:], method: HTTPRequest.Method = .get) -> HTTPRequest {
        HTTPRequest(method: method, scheme: nil, authority: nil, path: path, headerFields: headers)
    }

    /// No playback request reaches the application, whatever it asks; every other request does,
    /// untouched.
    @Test func answersEveryPlaybackRequestItself() async throws {
        let registry = PackagerRegistry()
        let fixture = try await LiveChannelFixture(name: "open", registry: registry)
        defer { fixture.stop() }
        let routes = PlaybackRoutes(packagers: registry, now: { LiveChannelFixture.now })
        let channel = EmbeddedChannel(handler: routes.channelHandler(serverName: "Antenne"))
        let answered: [(HTTPRequest, HTTPResponse.Status)] = [
            (Self.get("/hls/open/source/init.mp4"), .ok),
            (Self.get("/hls/open/source/index.m3u8"), .ok),
            (Self.get("/hls/open/master.m3u8?dvr=0"), .badRequest),
            (Self.get("/hls/open/source/init.mp4", [.range: "bytes=0-9"]), .partialContent),
            (Self.get("/hls/open/source/init.mp4", method: .head), .ok),
            (Self.get("/hls/open/source/init.mp4", method: .post), .methodNotAllowed),
            (Self.get("/hls/open/source/init.mp4", [.origin: "https://player.example"], method: .options), .noContent),
            (Self.get("/hls/nobody/source/init.mp4"), .notFound),
            (Self.get("/hls/op%65n/source/init.mp4"), .notFound),
            (Self.get("/hls/open/source/" + String(repeating: "1", count: 600) + ".m4s"), .notFound),
            (Self.get("/vod/" + String(repeating: "a", count: 100) + "/master.m3u8"), .notFound),
            (Self.get("/clips/" + String(repeating: "a", count: 100) + ".mp4"), .notFound),
            (Self.get("/hls/open/source/5.m4s?_HLS_skip=YES&token=x"), .ok),
        ]
        for (request, status) in answered {
            try channel.writeInbound(HTTPRequestPart.head(request))
            try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "ignored")))
            try channel.writeInbound(HTTPRequestPart.end(nil))
            #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil, "\(request)")
            guard case .head(let head) = try channel.readOutbound(as: HTTPResponsePart.self) else {
                Issue.record("no response to \(request)")
                continue
            }
            #expect(head.status == status, "\(request)")
            #expect(head.headerFields[.server] == "Antenne")
            #expect(head.headerFields[.date]?.hasSuffix(" GMT") == true)
            var bytes = 0
            while case .body(let body) = try channel.readOutbound(as: HTTPResponsePart.self) { bytes += body.readableBytes }
            #expect(head.headerFields[.contentLength] == String(request.method == .head ? Int(head.headerFields[.contentLength] ?? "") ?? -1 : bytes))
            if request.method == .head { #expect(bytes == 0) }
        }
        for path in ["/api/v1/channels", "/watch/open", "/player/antenne.js", "/hlsx/open/master.m3u8", "/"] {
            let request = Self.get(path)
            try channel.writeInbound(HTTPRequestPart.head(request))
            try channel.writeInbound(HTTPRequestPart.end(nil))
            #expect(try channel.readInbound(as: HTTPRequestPart.self) == .head(request), "\(path)")
            #expect(try channel.readInbound(as: HTTPRequestPart.self) == .end(nil))
            try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
            try channel.writeOutbound(HTTPResponsePart.end(nil))
            while try channel.readOutbound(as: HTTPResponsePart.self) != nil {}
        }
        _ = try channel.finish()
    }

    /// Pipelined requests are answered in order, whether their answer is in memory, needs work
    /// (a slow thumbnail) or comes from the application; the connection closes after the request
    /// that asks it to.
    @Test func keepsPipelinedResponsesInRequestOrder() async throws {
        try await Self.withServer { _, _, client in
            let port = try #require(client.port)
            let request = { (path: String, extra: String) in "GET \(path) HTTP/1.1\r\nHost: antenne\r\n\(extra)\r\n" }
            let responses = try await RawHTTP.exchange(port: port, [
                request("/hls/open/thumbnail.jpg", ""),
                request("/hls/open/source/init.mp4", ""),
                request("/api/echo", ""),
                request("/hls/open/source/init.mp4", "Range: bytes=0-3\r\n"),
                request("/hls/open/thumbnail.jpg", "Connection: close\r\n"),
            ].joined())
            try #require(responses.count == 5, "\(responses)")
            #expect(responses.map(\.status) == [200, 200, 200, 206, 200])
            #expect(responses.map { $0.headers["content-type"] ?? "" }
                    == ["image/jpeg", "video/mp4", "text/plain; charset=utf-8", "video/mp4", "image/jpeg"])
            #expect(String(decoding: responses[2].body, as: UTF8.self) == "echo")
            #expect(responses[3].body.count == 4 && responses[1].body.count > 4)
            #expect(responses[4].headers["connection"] == "close")
        }
    }

    /// Every file of the live playlist, whole, in a range, and by HEAD: the window's own bytes.
    @Test func rangesAndHeadOfEveryFile() async throws {
        try await Self.withServer { fixture, _, client in
            let base = "/hls/open/source/"
            let playlist = try await client.execute(uri: base + "index.m3u8", method: .get)
            let media = try MediaPlaylist.parse(String(buffer: playlist.body))
            let files = media.segments.compactMap { $0.map?.uri } + media.segments.map(\.uri) + media.segments.flatMap { $0.parts.map(\.uri) }
            #expect(files.count > 10)
            let rendition = try #require(fixture.packager.listedRendition(named: "source"))
            for file in Set(files) {
                let expected: ByteBuffer
                switch try #require(MediaFileName(file)) {
                case .initSegment(let index): expected = try #require(rendition.initSegment(index: index))
                case .segment(let msn): expected = ByteBuffer(bytes: try #require(rendition.segment(msn: msn)).flatMap(\.readableBytesView))
                case .part(let msn, let index): expected = try #require(rendition.part(msn: msn, index: index))
                case .playlist: continue
                }
                let whole = try await client.execute(uri: base + file, method: .get)
                #expect(whole.status == .ok && whole.body == expected, "\(file)")
                #expect(whole.headers[.acceptRanges] == "bytes")
                let head = try await client.execute(uri: base + file, method: .head)
                #expect(head.status == .ok && head.body.readableBytes == 0 && head.headers[.contentLength] == String(expected.readableBytes))
                let ranged = try await client.execute(uri: base + file, method: .get, headers: [.range: "bytes=2-5"])
                #expect(ranged.status == .partialContent, "\(file)")
                #expect(ranged.body == expected.getSlice(at: expected.readerIndex + 2, length: 4))
                #expect(ranged.headers[.contentRange] == "bytes 2-5/\(expected.readableBytes)")
                let beyond = try await client.execute(uri: base + file, method: .get, headers: [.range: "bytes=\(expected.readableBytes)-"])
                #expect(beyond.status == .rangeNotSatisfiable && beyond.headers[.contentRange] == "bytes */\(expected.readableBytes)")
            }
        }
    }

    /// A part of the segment to come and a blocking playlist reload are held until the media
    /// exists, then answered; a part far ahead is a 404 at once.
    @Test func holdsRequestsAtTheLiveEdge() async throws {
        try await Self.withServer { fixture, recorder, client in
            let base = "/hls/open/source/"
            let media = try MediaPlaylist.parse(String(buffer: try await client.execute(uri: base + "index.m3u8", method: .get).body))
            // The newest complete segment; the one after it is in progress, and the next is to come.
            let last = try #require(media.segments.last.flatMap { Int($0.uri.prefix { $0 != "." }) })
            // The segment in progress holds its 2 s of parts: the hint is the next segment's first.
            #expect(media.preloadHint?.uri == "\(last + 2).0.m4s")
            // Audio parts do not fill a segment (93.75 AAC frames in 2 s): its hint is its next part.
            let audio = try MediaPlaylist.parse(String(buffer: try await client.execute(uri: "/hls/open/audio/index.m3u8", method: .get).body))
            let audioParts = try #require(audio.inProgressSegment?.parts.count)
            #expect(audio.preloadHint?.uri.hasSuffix(".\(audioParts).m4s") == true, "\(String(describing: audio.preloadHint))")
            #expect(try await client.execute(uri: base + "\(last + 5).0.m4s", method: .get).status == .notFound)
            async let part = client.execute(uri: base + "\(last + 2).0.m4s", method: .get)
            async let reload = client.execute(uri: base + "index.m3u8?_HLS_msn=\(last + 2)", method: .get)
            try await Task.sleep(for: .milliseconds(200))
            #expect(fixture.packager.listedRendition(named: "source")?.part(msn: last + 2, index: 0) == nil)
            try await fixture.feed(seconds: 24..<30)
            let (heldPart, heldReload) = try await (part, reload)
            #expect(heldPart.status == .ok && heldPart.body == fixture.packager.listedRendition(named: "source")?.part(msn: last + 2, index: 0))
            #expect(heldReload.status == .ok && heldReload.headers[.cacheControl] == CachePolicy.livePlaylist)
            #expect(String(buffer: heldReload.body).contains("\(last + 2).m4s"))
            let kinds = recorder.events.withLockedValue { $0.map(\.kind) }
            #expect(kinds.filter { $0 == .part }.count == 2 && kinds.filter { $0 == .mediaPlaylist }.count == 3, "\(kinds)")
        }
    }

    /// CORS in one place: a preflight, and the origin allowed on every answer, refusals included.
    @Test func corsOnEveryAnswer() async throws {
        try await Self.withServer { _, _, client in
            let origin: HTTPFields = [.origin: "https://player.example"]
            let preflight = try await client.execute(
                uri: "/hls/open/source/init.mp4", method: .options, headers: origin + [.accessControlRequestMethod: "GET"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "*")
            #expect(preflight.headers[.accessControlAllowMethods] == "GET, HEAD, OPTIONS")
            #expect(preflight.headers[.accessControlAllowHeaders] == "Range, Content-Type")
            for (path, status) in [("/hls/open/master.m3u8", HTTPResponse.Status.ok), ("/hls/nobody/master.m3u8", .notFound),
                                   ("/vod/nothing/master.m3u8", .notFound), ("/clips/nothing.mp4", .notFound)] {
                let response = try await client.execute(uri: path, method: .get, headers: origin)
                #expect(response.status == status, "\(path)")
                #expect(response.headers[.accessControlAllowOrigin] == "*", "\(path)")
            }
            let post = try await client.execute(uri: "/hls/open/master.m3u8", method: .post)
            #expect(post.status == .methodNotAllowed && post.headers[.allow] == "GET, HEAD, OPTIONS")
        }
    }

    /// A CDN keeps one copy of a URL for every viewer: the copy made for a request without
    /// `Origin` must serve a browser player too.
    @Test(.bug(id: "cdn-cors", "a cached answer to a request without Origin had no CORS header, so browsers behind a CDN were refused it"))
    func corsWithoutOrigin() async throws {
        try await Self.withServer { _, _, client in
            for path in ["/hls/open/master.m3u8", "/hls/open/source/index.m3u8", "/hls/open/source/init.mp4", "/hls/nobody/master.m3u8"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.headers[.accessControlAllowOrigin] == "*", "\(path)")
            }
        }
    }

    /// Every playlist and every segment, part and init segment carries an entity tag; a request
    /// naming it (`If-None-Match`, as a CDN revalidating) is answered 304 without body or
    /// Content-Length, with the same validator and Cache-Control (RFC 9110 §13.1.2, §15.4.5).
    @Test func conditionalRequestsAreAnswered304() async throws {
        try await Self.withServer { fixture, _, client in
            let base = "/hls/open/source/"
            let text = String(buffer: try await client.execute(uri: base + "index.m3u8", method: .get).body)
            let segment = try #require(try MediaPlaylist.parse(text).segments.last?.uri)
            let part = try #require(text.split(separator: "\n").last { $0.hasPrefix("#EXT-X-PART:") }?.split(separator: "\"").dropFirst().first)
            var tags: Set<String> = []
            for path in ["/hls/open/master.m3u8", base + "index.m3u8", base + "index.m3u8?_HLS_skip=YES", base + "init.mp4",
                         base + segment, base + String(part), "/dash/open/manifest.mpd"] {
                let full = try await client.execute(uri: path, method: .get)
                let etag = try #require(full.headers[.eTag], "\(path)")
                #expect(full.status == .ok && etag.hasPrefix("\"") && etag.hasSuffix("\""), "\(path)")
                tags.insert(etag)
                for asked in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
                    let again = try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: asked])
                    #expect(again.status == .notModified && again.body.readableBytes == 0, "\(path) \(asked)")
                    #expect(again.headers[.contentLength] == nil && again.headers[.eTag] == etag)
                    #expect(again.headers[.cacheControl] == full.headers[.cacheControl])
                }
                let other = try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: "\"other\""])
                #expect(other.status == .ok && other.body == full.body, "\(path)")
                // A range is answered only when the validator did not match (RFC 9110 §13.2.2).
                if path.hasSuffix(".m4s") {
                    let ranged = try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: etag, .range: "bytes=0-3"])
                    #expect(ranged.status == .notModified)
                }
            }
            // Each object has its own tag; the same object keeps it.
            #expect(tags.count == 7)
            let first = try await client.execute(uri: base + "init.mp4", method: .get)
            #expect(first.headers[.eTag] == (try await client.execute(uri: base + "init.mp4", method: .get)).headers[.eTag])
            // A playlist's tag follows its text: a new part changes it.
            let before = try await client.execute(uri: base + "index.m3u8", method: .get)
            try await fixture.feed(seconds: 24..<26)
            var after = before
            for _ in 0..<100 where after.body == before.body {
                try await Task.sleep(for: .milliseconds(20))
                after = try await client.execute(uri: base + "index.m3u8", method: .get)
            }
            #expect(before.body != after.body && before.headers[.eTag] != after.headers[.eTag])
            #expect(try await client.execute(uri: base + "index.m3u8", method: .get, headers: [.ifNoneMatch: before.headers[.eTag]!]).status == .ok)
        }
    }

    /// The observer hears of every answer once, with its kind, status and bytes, whether it was
    /// in memory or needed work.
    @Test func theObserverSeesEveryAnswer() async throws {
        try await Self.withServer { _, recorder, client in
            let playlist = try await client.execute(uri: "/hls/open/source/index.m3u8?_HLS_skip=YES", method: .get)
            let missing = try await client.execute(uri: "/hls/open/nothing/init.mp4", method: .head)
            let thumbnail = try await client.execute(uri: "/hls/open/thumbnail.jpg", method: .get)
            #expect(missing.status == .notFound)
            let events = recorder.events.withLockedValue { $0 }
            try #require(events.count == 3)
            #expect(events.map(\.kind) == [.mediaPlaylist, .initSegment, .thumbnail])
            #expect(events.map(\.status) == [.ok, .notFound, .ok])
            #expect(events.map(\.method) == [.get, .head, .get])
            #expect(events.map(\.bytes) == [playlist.body.readableBytes, events[1].bytes, thumbnail.body.readableBytes])
            #expect(events[2].duration >= .milliseconds(300))
        }
    }

    @Test func kindsFromPaths() {
        let cases: [(String, PlaybackRouteKind)] = [
            ("/hls/c/master.m3u8", .multivariant), ("/hls/c/master.m3u8?token=x", .multivariant),
            ("/hls/c/thumbnail.jpg", .thumbnail), ("/hls/c/source/index.m3u8?_HLS_msn=3", .mediaPlaylist),
            ("/hls/c/source/init.mp4", .initSegment), ("/hls/c/source/init-2.mp4", .initSegment),
            ("/hls/c/source/12.m4s", .segment), ("/hls/c/source/12.3.m4s", .part),
            ("/hls/c/source/archive/20261122-11-1.m4s", .archive), ("/vod/abc/master.m3u8", .multivariant),
            ("/clips/abc/master.m3u8", .multivariant), ("/clips/abc.mp4", .clip),
            ("/hls/c/source/x.txt", .other), ("/hls", .other), ("", .other), ("/watch/c", .other),
        ]
        for (path, kind) in cases { #expect(PlaybackRouteKind(path: Substring(path)) == kind, "\(path)") }
    }

    @Test func dateHeaderIsIMFFixdate() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(1_795_339_538) == "Sun, 22 Nov 2026 09:25:38 GMT")
    }
}
