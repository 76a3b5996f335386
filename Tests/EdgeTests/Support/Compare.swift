import Edge
import Manifests
import Packager
import Testing

/// What the tests compare between an edge and its origin.
enum Compare {
    /// The renditions of `channel` at the edge have every part the origin has.
    static func caughtUp(_ edge: TestEdge, with origin: TestOrigin) -> Bool {
        guard let channel = edge.relay.directory.channel(named: origin.name) else { return false }
        return origin.packager.renditions.allSatisfy { rendition in
            guard let at = channel.listedRendition(named: rendition.name)?.snapshot()?.lastPart,
                  let want = rendition.snapshot()?.lastPart else { return false }
            return at == want
        }
    }

    /// Parts the edge holds, over every rendition.
    static func partsHeld(_ edge: TestEdge, channel: String) -> Int {
        guard let channel = edge.relay.directory.channel(named: channel) else { return 0 }
        return channel.listedRenditions.compactMap { $0.snapshot() }.reduce(0) { $0 + $1.segments.reduce(0) { $0 + $1.parts.count } }
    }

    /// The rendition names of a multivariant playlist, as `{name}/index.m3u8`.
    static func renditionNames(_ text: String) throws -> [String] {
        let playlist = try MultivariantPlaylist.parse(text)
        let uris = playlist.variants.map(\.uri) + playlist.renditions.compactMap(\.uri)
        var names: [String] = []
        for uri in uris {
            let name = String(uri.prefix { $0 != "/" })
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// The edge's media playlist lists what the origin's does for the same numbers: segments with
    /// their durations, dates, maps and parts, the segment in progress, the preload hint and the
    /// timing tags.
    static func samePlaylist(edge edgeText: String, origin originText: String) throws {
        let edge = try MediaPlaylist.parse(edgeText)
        let origin = try MediaPlaylist.parse(originText)
        #expect(edge.targetDuration == origin.targetDuration)
        #expect(edge.partTarget == origin.partTarget)
        #expect(edge.serverControl == origin.serverControl)
        #expect(edge.inProgressSegment == origin.inProgressSegment)
        #expect(edge.preloadHint == origin.preloadHint)
        #expect(edge.renditionReports == origin.renditionReports)
        let first = Int(origin.mediaSequence)
        let edgeFirst = Int(edge.mediaSequence)
        #expect(edgeFirst >= first)
        #expect(!edge.segments.isEmpty)
        for (offset, segment) in edge.segments.enumerated() {
            let index = edgeFirst + offset - first
            guard origin.segments.indices.contains(index) else {
                Issue.record("segment \(edgeFirst + offset) is not at the origin")
                continue
            }
            #expect(segment == origin.segments[index], "segment \(edgeFirst + offset)")
        }
    }
}
