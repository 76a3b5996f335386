import MediaCore
import NIOCore
import Testing
@testable import Delivery
@testable import Packager

@Suite struct PlaylistCacheTests {
    static let track = TrackInfo(codec: .aac, timescale: 48_000, decoderConfig: [0x11, 0x90], codecString: "mp4a.40.2")

    static func rendition(_ name: String) -> LiveRendition {
        let rendition = LiveRendition(name: name, configuration: PackagerConfiguration())
        rendition.begin(track: track, initSegment: ByteBuffer(bytes: [0]))
        rendition.open(msn: 0, startDTS: 0, programDateTime: 1_700_000_000_000)
        return rendition
    }

    static func addPart(_ rendition: LiveRendition, index: Int) {
        rendition.add(Segmenter.Part(msn: 0, index: index, startDTS: Int64(index) * 24_000, duration: 24_000, independent: true,
                                     data: ByteBuffer(bytes: [1, 2, 3])))
    }

    static func key(_ rendition: LiveRendition, siblings: [LiveRendition] = [], deltaUpdate: Bool = false) throws -> PlaylistCache.Key {
        PlaylistCache.Key(try #require(rendition.snapshot()), siblings: siblings.compactMap { $0.snapshot() },
                          deltaUpdate: deltaUpdate, ended: false)
    }

    @Test func rendersOncePerWindow() throws {
        let cache = PlaylistCache()
        let video = Self.rendition("source")
        let audio = Self.rendition("audio")
        var renders = 0
        let render = { () -> String in renders += 1; return "playlist \(renders)\n" }

        let first = cache.playlist(for: video, key: try Self.key(video, siblings: [audio]), render: render)
        let again = cache.playlist(for: video, key: try Self.key(video, siblings: [audio]), render: render)
        #expect(renders == 1)
        #expect(again.pieces == first.pieces)

        // The window changed, a sibling changed, a delta update: each is a new text.
        Self.addPart(video, index: 0)
        _ = cache.playlist(for: video, key: try Self.key(video, siblings: [audio]), render: render)
        #expect(renders == 2)
        Self.addPart(audio, index: 0)
        _ = cache.playlist(for: video, key: try Self.key(video, siblings: [audio]), render: render)
        #expect(renders == 3)
        _ = cache.playlist(for: video, key: try Self.key(video, siblings: [audio], deltaUpdate: true), render: render)
        #expect(renders == 4)
        let latest = cache.playlist(for: video, key: try Self.key(video, siblings: [audio], deltaUpdate: true), render: render)
        #expect(renders == 4)
        #expect(String(buffer: latest.filled(with: nil)) == "playlist 4\n")
    }

    /// A new rendition (a channel registered again) starts its versions over; it never gets the
    /// text of the one it replaces.
    @Test func aNewRenditionIsNotServedAnOldText() throws {
        let cache = PlaylistCache()
        var renders = 0
        let render = { () -> String in renders += 1; return "playlist \(renders)\n" }
        var old: LiveRendition? = Self.rendition("source")
        let oldKey = try Self.key(old!)
        _ = cache.playlist(for: old!, key: oldKey, render: render)
        old = nil
        let replacement = Self.rendition("source")
        let key = try Self.key(replacement)
        #expect(key == oldKey)
        let text = cache.playlist(for: replacement, key: key, render: render)
        #expect(renders == 2)
        #expect(String(buffer: text.filled(with: nil)) == "playlist 2\n")
    }

    /// A token channel's playlist is rendered once with a hole in each URI, and each viewer's copy
    /// has that viewer's token in every hole, and no one else's.
    @Test func eachViewerGetsTheirOwnToken() throws {
        let cache = PlaylistCache()
        let video = Self.rendition("source")
        var renders = 0
        let key = try Self.key(video)
        var signed = key
        signed.signed = true
        let render = { () -> String in
            renders += 1
            return "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4?token=\(PlaylistTemplate.hole)\"\n0.m4s?token=\(PlaylistTemplate.hole)\n"
        }
        let first = cache.playlist(for: video, key: signed, render: render).filled(with: "AAA.bbb")
        let second = cache.playlist(for: video, key: signed, render: render).filled(with: "CCC.ddd")
        #expect(renders == 1)
        #expect(String(buffer: first) == "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4?token=AAA.bbb\"\n0.m4s?token=AAA.bbb\n")
        #expect(String(buffer: second) == "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4?token=CCC.ddd\"\n0.m4s?token=CCC.ddd\n")
        // A public rendering of the same window is another entry.
        _ = cache.playlist(for: video, key: key) { renders += 1; return "public\n" }
        #expect(renders == 2)
    }
}
