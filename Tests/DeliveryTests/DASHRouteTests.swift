import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Manifests
import MediaCore
import Packager
import Testing
@testable import Delivery
import TestSupport

/// `dash/{channel}/manifest.mpd` over a packaged live channel, behind a real loopback server:
/// the MPD lists the HLS segment files, each of which answers, with the access rules of `hls/`.
@Suite(.serialized) struct DASHRouteTests {
    static let mpdURL = URL(string: "http://origin.example/dash/sealed/manifest.mpd")!

    /// Every segment and init segment URL the MPD lists, resolved against `mpd` (RFC 3986 §5.2),
    /// as path and query, `$Number$` replaced by each listed number.
    static func urls(_ mpd: XMLTree, against base: URL) throws -> [String] {
        var urls: [String] = []
        for template in mpd.descendants(named: "SegmentTemplate") {
            let start = try #require(template["startNumber"].flatMap { Int($0) })
            let count = try #require(template.child("SegmentTimeline")).children(named: "S").reduce(0) { $0 + 1 + (Int($1["r"] ?? "0") ?? 0) }
            let media = try #require(template["media"])
            let templates = [try #require(template["initialization"])] + (start..<(start + count)).map {
                media.replacingOccurrences(of: "$Number$", with: String($0))
            }
            for relative in templates {
                let url = try #require(URL(string: relative, relativeTo: base)?.absoluteURL)
                urls.append(url.path + (url.query.map { "?" + $0 } ?? ""))
            }
        }
        return urls
    }

    /// The paths of the segments the fixture's renditions are writing: listed, but they grow
    /// until the fixture is fed more (``GrowingSegmentTests``).
    static func beingWritten(_ fixture: LiveChannelFixture) -> [String] {
        fixture.packager.listedRenditions.compactMap { rendition in
            rendition.snapshot()?.segments.last.flatMap { $0.isComplete ? nil : "/hls/\(fixture.packager.name)/\(rendition.name)/\($0.msn).m4s" }
        }
    }

    @Test func servesTheLiveWindowOverTheHLSSegments() async throws {
        try await PlaybackRouteTests.withSetup { setup, client in
            let response = try await client.execute(uri: "/dash/open/manifest.mpd", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/dash+xml")
            #expect(response.headers[.cacheControl] == CachePolicy.livePlaylist)
            let mpd = try #require(XMLTree.parse(String(buffer: response.body)))
            #expect(mpd["type"] == "dynamic")
            #expect(mpd["publishTime"] == DASHManifest.dateTime(LiveChannelFixture.now))
            #expect(mpd["timeShiftBufferDepth"] == "PT\(PackagerConfiguration().window.milliseconds / 1000).00000S")
            #expect(mpd.child("UTCTiming")?["value"] == "/dash/time")
            let sets = mpd.descendants(named: "AdaptationSet")
            #expect(sets.map { $0["contentType"] } == ["video", "audio"])
            #expect(mpd.descendants(named: "Representation").map { $0["id"] } == ["source", "audio"])
            let video = try #require(sets.first?.child("Representation"))
            #expect(video["codecs"] == "avc1.64001f")
            #expect(video["width"] == "640")
            #expect(video["frameRate"] == "30")
            #expect(Int(video["bandwidth"] ?? "") ?? 0 > 0)

            // Every listed segment is the HLS file of that number, and answers.
            let base = URL(string: "http://origin.example/dash/open/manifest.mpd")!
            let urls = try Self.urls(mpd, against: base)
            #expect(urls.contains("/hls/open/source/init.mp4"))
            #expect(urls.contains("/hls/open/audio/init.mp4"))
            let open = Self.beingWritten(setup.open)
            #expect(open.allSatisfy { urls.contains($0) }, "the segment being written is listed")
            for url in urls where !open.contains(url) {
                #expect(url.hasPrefix("/hls/open/"), "\(url)")
                let media = try await client.execute(uri: url, method: .get)
                #expect(media.status == .ok, "\(url)")
            }

            // The timeline is the window's segments, and video and audio meet the wall
            // clock where the packager stamped them.
            #expect(mpd["availabilityStartTime"] == "1970-01-01T00:00:00.000Z")
            let periods = mpd.children(named: "Period")
            #expect(periods.count == 1)
            let start = try #require(periods.first?["start"].flatMap(Self.milliseconds))
            for rendition in setup.open.packager.listedRenditions {
                let snapshot = try #require(rendition.snapshot())
                let complete = snapshot.segments.filter(\.isComplete)
                let representation = try #require(mpd.descendants(named: "Representation").first { $0["id"] == rendition.name })
                let template = try #require(representation.child("SegmentTemplate"))
                #expect(template["timescale"] == String(snapshot.track.timescale))
                #expect(template["startNumber"] == String(complete[0].msn))
                let s = try #require(template.child("SegmentTimeline")?.children(named: "S").first)
                #expect(s["t"] == String(complete[0].startDTS))
                let offset = Int64(template["presentationTimeOffset"] ?? "0") ?? -1
                let presented = MediaTime(ticks: complete[0].startDTS - offset, timescale: snapshot.track.timescale).milliseconds
                let wallClock = start + presented
                #expect(abs(wallClock - complete[0].programDateTime) <= 1, "\(rendition.name)")
            }
        }
    }

    @Test func aTokenChannelWantsItsTokenAndCarriesItOnEveryURL() async throws {
        try await PlaybackRouteTests.withSetup { setup, client in
            let refused = try await client.execute(uri: "/dash/sealed/manifest.mpd", method: .get)
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.cacheControl] == CachePolicy.error)

            let token = try setup.signer.sign(channel: "sealed", expiresAt: PlaybackRouteTests.now + 600, session: "viewer-1")
            let response = try await client.execute(uri: "/dash/sealed/manifest.mpd?token=\(token)", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == CachePolicy.signedLivePlaylist)
            let mpd = try #require(XMLTree.parse(String(buffer: response.body)))
            let urls = try Self.urls(mpd, against: Self.mpdURL)
            #expect(urls.count > 2)
            let open = Self.beingWritten(setup.sealed).map { $0 + "?token=\(token)" }
            for url in urls where !open.contains(url) {
                #expect(url.hasSuffix("?token=\(token)"), "\(url)")
                #expect(try await client.execute(uri: url, method: .get).status == .ok, "\(url)")
                // Without the token the same file is refused.
                let bare = String(url.prefix { $0 != "?" })
                #expect(try await client.execute(uri: bare, method: .get).status == .unauthorized, "\(bare)")
            }
        }
    }

    @Test func unknownAndUnannouncedChannelsAreNotFound() async throws {
        let registry = PackagerRegistry()
        // One segment: not the three HLS announces a channel with.
        let early = try await LiveChannelFixture(name: "early", registry: registry, seconds: 2)
        defer { early.stop() }
        let routes = PlaybackRoutes(packagers: registry, now: { LiveChannelFixture.now })
        try await PlaybackServer.serve(routes) { client in
            for path in ["/dash/early/manifest.mpd", "/hls/early/master.m3u8", "/dash/nobody/manifest.mpd", "/dash/early/other.mpd"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
            }
        }
    }

    @Test func theClockAnswersTheServersTime() async throws {
        let routes = PlaybackRoutes(packagers: PackagerRegistry(), now: { LiveChannelFixture.now })
        try await PlaybackServer.serve(routes) { client in
            let response = try await client.execute(uri: "/dash/time", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
            let text = String(buffer: response.body)
            #expect(text == "2023-11-14T22:13:20.000Z")
            #expect(Self.epochMilliseconds(text) == LiveChannelFixture.now)
        }
    }

    @Test func kindsOfDASHPaths() {
        #expect(PlaybackRouteKind(path: "/dash/news/manifest.mpd?token=x") == .dashManifest)
        #expect(PlaybackRouteKind(path: "/dash/time") == .clock)
        #expect(PlaybackRouteKind(path: "/dash/news/other") == .other)
    }

    /// An xs:duration of seconds (`PT1700000001.00000S`) in milliseconds.
    static func milliseconds(_ duration: String) -> Int64? {
        guard duration.hasPrefix("PT"), duration.hasSuffix("S"), let seconds = Decimal(string: String(duration.dropFirst(2).dropLast())) else {
            return nil
        }
        return Int64(truncating: (seconds * 1_000) as NSDecimalNumber)
    }

    /// An xs:dateTime in UTC with milliseconds, read with Foundation (not the code under test).
    static func epochMilliseconds(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }
}
