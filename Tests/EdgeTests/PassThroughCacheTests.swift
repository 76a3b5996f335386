import Delivery
import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
@testable import Edge

/// The edge's disk cache of pass-through answers: what it keeps and for how long, misses that
/// arrive together sharing one origin request, its size bound, and keys that keep tokens apart.
@Suite struct PassThroughCacheTests {
    /// An origin that answers every request with `answer(path)` after `delay`, counting requests.
    final class CountingOrigin: PlaybackUpstream, Sendable {
        let requests = NIOLockedValueBox([String]())
        let delay: Duration
        let answer: @Sendable (String) -> PlaybackUpstreamResponse

        init(delay: Duration = .zero, answer: @escaping @Sendable (String) -> PlaybackUpstreamResponse) {
            self.delay = delay
            self.answer = answer
        }

        func forward(_ request: PlaybackRequest) async -> PlaybackUpstreamResponse {
            let target = String(request.path) + (request.parameters.isEmpty ? "" : "?" + request.parameters.map { "\($0.key)=\($0.value)" }.joined(separator: "&"))
            requests.withLockedValue { $0.append(target) }
            if delay > .zero { try? await Task.sleep(for: delay) }
            return answer(target)
        }

        var count: Int { requests.withLockedValue(\.count) }
    }

    /// A clock the test moves.
    final class Clock: Sendable {
        let origin = ContinuousClock.now
        let offset = NIOLockedValueBox(Duration.zero)
        var now: ContinuousClock.Instant { origin + offset.withLockedValue { $0 } }
        func advance(_ by: Duration) { offset.withLockedValue { $0 += by } }
    }

    static func response(_ body: String, cacheControl: String?, status: HTTPResponse.Status = .ok) -> PlaybackUpstreamResponse {
        PlaybackUpstreamResponse(status: status, contentType: "video/mp4", cacheControl: cacheControl, body: ByteBuffer(string: body))
    }

    static func request(_ target: String, method: HTTPRequest.Method = .get) throws -> PlaybackRequest {
        try #require(PlaybackRequest(HTTPRequest(method: method, scheme: "http", authority: "edge", path: target),
                                     loop: MultiThreadedEventLoopGroup.singleton.next()))
    }

    static func directory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("antenne-edge-cache-\(UUID().uuidString)")
    }

    static func body(_ response: PlaybackUpstreamResponse) -> String { String(buffer: response.body) }

    @Test func anImmutableSegmentIsAskedOnceAndServedFromDisk() async throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let origin = CountingOrigin { Self.response("bytes of \($0)", cacheControl: "public, max-age=31536000, immutable") }
        let cache = try PassThroughCache(directory: dir, maxBytes: 1 << 20)
        let upstream = CachedPassThrough(origin: origin, cache: cache)
        let first = await upstream.forward(try Self.request("/hls/tv/720p/archive/41.m4s"))
        let second = await upstream.forward(try Self.request("/hls/tv/720p/archive/41.m4s"))
        #expect(origin.count == 1)
        #expect(Self.body(second) == "bytes of /hls/tv/720p/archive/41.m4s")
        #expect(Self.body(second) == Self.body(first))
        #expect(second.cacheControl == "public, max-age=31536000, immutable")
        #expect(second.contentType == "video/mp4")
        #expect(cache.figures == .init(hits: 1, misses: 1, bytes: first.body.readableBytes, entries: 1, writeFailures: 0))
        // On disk, under a name of the cache's own.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["0.bin"])
    }

    @Test func missesThatArriveTogetherShareOneOriginRequest() async throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let origin = CountingOrigin(delay: .milliseconds(200)) { Self.response("clip \($0)", cacheControl: "public, max-age=31536000, immutable") }
        let upstream = CachedPassThrough(origin: origin, cache: try PassThroughCache(directory: dir, maxBytes: 1 << 20))
        let request = try Self.request("/clips/c1/clip.mp4")
        let bodies = await withTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { Self.body(await upstream.forward(request)) } }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(bodies == Array(repeating: "clip /clips/c1/clip.mp4", count: 20))
        #expect(origin.count == 1)
    }

    @Test func privateErrorsAndHeadRequestsAreNotKept() async throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let origin = CountingOrigin { target in
            switch target {
            case let t where t.contains("keys"): Self.response("key", cacheControl: "private, no-store")
            case let t where t.contains("signed"): Self.response("playlist", cacheControl: "private, max-age=30")
            case let t where t.contains("missing"): Self.response("no", cacheControl: "public, max-age=60", status: .notFound)
            case let t where t.contains("bare"): Self.response("bare", cacheControl: nil)
            default: Self.response("segment", cacheControl: "public, max-age=31536000, immutable")
            }
        }
        let upstream = CachedPassThrough(origin: origin, cache: try PassThroughCache(directory: dir, maxBytes: 1 << 20))
        for target in ["/hls/tv/keys/3", "/vod/signed/index.m3u8", "/vod/missing/index.m3u8", "/vod/bare/index.m3u8"] {
            _ = await upstream.forward(try Self.request(target))
            _ = await upstream.forward(try Self.request(target))
        }
        #expect(origin.count == 8)
        _ = await upstream.forward(try Self.request("/vod/r1/720p/1.m4s", method: .head))
        _ = await upstream.forward(try Self.request("/vod/r1/720p/1.m4s", method: .head))
        #expect(origin.count == 10)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func aPlaylistIsKeptForItsMaxAgeAndServedWithWhatIsLeft() async throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = Clock()
        let origin = CountingOrigin { _ in Self.response("#EXTM3U", cacheControl: "public, max-age=30") }
        let upstream = CachedPassThrough(origin: origin, cache: try PassThroughCache(directory: dir, maxBytes: 1 << 20, now: { clock.now }))
        let request = try Self.request("/vod/r1/720p/index.m3u8")
        #expect(await upstream.forward(request).cacheControl == "public, max-age=30")
        clock.advance(.seconds(12))
        #expect(await upstream.forward(request).cacheControl == "public, max-age=18")
        #expect(origin.count == 1)
        clock.advance(.seconds(18))
        #expect(await upstream.forward(request).cacheControl == "public, max-age=30")
        #expect(origin.count == 2)
    }

    @Test func tokensAreKeptApart() async throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let origin = CountingOrigin { Self.response($0, cacheControl: "public, max-age=31536000, immutable") }
        let upstream = CachedPassThrough(origin: origin, cache: try PassThroughCache(directory: dir, maxBytes: 1 << 20))
        _ = await upstream.forward(try Self.request("/hls/tv/720p/archive/7.m4s?token=a"))
        let other = await upstream.forward(try Self.request("/hls/tv/720p/archive/7.m4s?token=b"))
        let none = await upstream.forward(try Self.request("/hls/tv/720p/archive/7.m4s"))
        #expect(origin.count == 3)
        #expect(Self.body(other).hasSuffix("token=b"))
        #expect(Self.body(none) == "/hls/tv/720p/archive/7.m4s")
    }

    @Test func theCacheStaysUnderItsSizeLeastRecentlyUsedOut() async throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let chunk = String(repeating: "x", count: 1_000)
        let origin = CountingOrigin { _ in Self.response(chunk, cacheControl: "public, max-age=31536000, immutable") }
        // 8 KB: objects of up to 1 KB, and about 7 of them after an eviction to 90 %.
        let cache = try PassThroughCache(directory: dir, maxBytes: 8_000)
        let upstream = CachedPassThrough(origin: origin, cache: cache)
        _ = await upstream.forward(try Self.request("/vod/r/720p/0.m4s"))
        for n in 1...20 {
            _ = await upstream.forward(try Self.request("/vod/r/720p/\(n).m4s"))
            // Segment 0 is watched all along: it stays.
            _ = await upstream.forward(try Self.request("/vod/r/720p/0.m4s"))
            #expect(cache.figures.bytes <= 8_000)
        }
        #expect(origin.count == 21)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files.count == cache.figures.entries)
        #expect(files.count <= 8)
        // The oldest of the others went first: 1 is gone, 20 is there.
        _ = await upstream.forward(try Self.request("/vod/r/720p/20.m4s"))
        #expect(origin.count == 21)
        _ = await upstream.forward(try Self.request("/vod/r/720p/1.m4s"))
        #expect(origin.count == 22)
        // Larger than an eighth of the cache: passed on, not kept.
        let big = CountingOrigin { _ in Self.response(String(repeating: "y", count: 1_001), cacheControl: "public, max-age=60") }
        let bigUpstream = CachedPassThrough(origin: big, cache: cache)
        _ = await bigUpstream.forward(try Self.request("/clips/big/clip.mp4"))
        _ = await bigUpstream.forward(try Self.request("/clips/big/clip.mp4"))
        #expect(big.count == 2)
    }

    @Test func aDiskThatFailsPassesAnswersOnAndCountsThem() async throws {
        let dir = Self.directory()
        let origin = CountingOrigin { _ in Self.response("segment", cacheControl: "public, max-age=31536000, immutable") }
        let cache = try PassThroughCache(directory: dir, maxBytes: 1 << 20)
        let upstream = CachedPassThrough(origin: origin, cache: cache)
        // The directory is gone (a disk unmounted, a volume full): nothing can be written.
        try FileManager.default.removeItem(at: dir)
        let request = try Self.request("/vod/r1/720p/1.m4s")
        #expect(Self.body(await upstream.forward(request)) == "segment")
        #expect(Self.body(await upstream.forward(request)) == "segment")
        #expect(origin.count == 2)
        #expect(cache.figures.writeFailures == 2)
        #expect(cache.figures.entries == 0)
    }

    @Test func aRestartClearsWhatTheCacheWroteAndNothingElse() throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in ["3.bin", "12.tmp", "notes.txt", "3.bin.bak", "x.bin"] {
            try Data("old".utf8).write(to: dir.appendingPathComponent(name))
        }
        _ = try PassThroughCache(directory: dir, maxBytes: 1 << 20)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["3.bin.bak", "notes.txt", "x.bin"])
    }

    @Test(arguments: [
        ("public, max-age=30", 30, false), ("public, max-age=31536000, immutable", 31_536_000, true),
        ("public, s-maxage=5, max-age=60", 5, false), ("Public, Max-Age=2", 2, false),
    ] as [(String, Int, Bool)])
    func freshnessOfWhatMayBeKept(cacheControl: String, seconds: Int, immutable: Bool) throws {
        let freshness = try #require(PassThroughCache.freshness(cacheControl))
        #expect(freshness.maxAge == .seconds(seconds))
        #expect(freshness.immutable == immutable)
    }

    @Test(arguments: ["private, max-age=30", "public, no-store", "no-cache", "public, max-age=0", "public", "max-age=30", "public, max-age=-1", "public, max-age=x"])
    func nothingElseIsKept(cacheControl: String) {
        #expect(PassThroughCache.freshness(cacheControl) == nil)
    }
}
