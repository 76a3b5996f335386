import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Packager
import Testing
@testable import Delivery

/// Every playback response reaches the observer once, answered on the event loop or by the routes.
@Suite struct PlaybackObserverTests {
    final class Recorder: PlaybackObserver {
        let events = NIOLockedValueBox<[PlaybackEvent]>([])
        func responded(_ event: PlaybackEvent) { events.withLockedValue { $0.append(event) } }
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

    @Test func seesBothPaths() async throws {
        let registry = PackagerRegistry()
        let fixture = try await LiveChannelFixture(name: "open", registry: registry)
        defer { fixture.stop() }
        let recorder = Recorder()
        let routes = PlaybackRoutes(packagers: registry, observer: recorder, now: { LiveChannelFixture.now })
        let router = Router(options: .autoGenerateHeadEndpoints)
        routes.add(to: router)
        try await Application(router: router).test(.router) { client in
            let playlist = try await client.execute(uri: "/hls/open/source/index.m3u8?_HLS_skip=YES", method: .get)
            let missing = try await client.execute(uri: "/hls/open/nothing/init.mp4", method: .head)
            let events = recorder.events.withLockedValue { $0 }
            #expect(events.map(\.kind) == [.mediaPlaylist, .initSegment])
            #expect(events.map(\.status) == [.ok, .notFound])
            #expect(events.map(\.method) == [.get, .head])
            #expect(events.first?.bytes == playlist.body.readableBytes)
            #expect(missing.status == .notFound)
        }
        recorder.events.withLockedValue { $0 = [] }
        let channel = EmbeddedChannel(handler: routes.liveHandler(serverName: "Antenne"))
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/hls/open/source/init.mp4")))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil, "answered on the event loop")
        let events = recorder.events.withLockedValue { $0 }
        #expect(events.count == 1)
        #expect(events.first?.kind == .initSegment)
        #expect(events.first?.status == .ok)
        #expect(events.first?.bytes == fixture.packager.rendition(named: "source")?.initSegment(index: 0)?.readableBytes)
        _ = try channel.finish()
    }
}
