import HTTPTypes
import NIOCore

extension PlaybackRoutes {
    /// The answer to a request for a live rendition file that exists right now, of a channel
    /// anyone may watch: `GET hls/{channel}/{rendition}/index.m3u8` without a query, the init
    /// segment, a segment or a part, whole. These are nearly all of a player's requests.
    ///
    /// Nil for anything else (a query such as a token or a blocking reload, a byte range, a
    /// percent-encoded name, a file still to come, HEAD, ...): the routes answer those. For the
    /// requests it does answer, the answer is the one the routes would give.
    func immediateResponse(to request: HTTPRequest) -> PlaybackResponse? {
        guard request.method == .get, request.headerFields[.range] == nil, let path = request.path,
              path.utf8.count <= Self.maximumImmediatePath, !path.contains(where: { $0 == "?" || $0 == "%" }) else { return nil }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard components.count == 5, components[0].isEmpty, components[1] == "hls" else { return nil }
        let channel = String(components[2])
        guard case .granted(.open) = access.decide(channel: channel, token: nil, now: now() / 1000),
              let packager = packagers.channel(named: channel),
              let rendition = packager.listedRendition(named: String(components[3])),
              let file = MediaFileName(String(components[4])) else { return nil }
        let data: [ByteBuffer]?
        switch file {
        case .playlist:
            guard let snapshot = rendition.snapshot(), snapshot.lastCompleteMSN != nil else { return nil }
            return livePlaylist(
                packager: packager, rendition: rendition, snapshot: snapshot, deltaUpdate: false, grant: .open, cache: CachePolicy.livePlaylist)
        case .initSegment(let index):
            guard let data = rendition.initSegment(index: index) else { return nil }
            return .media([data], contentType: Responses.mp4, cache: CachePolicy.immutable)
        case .segment(let msn):
            data = rendition.segment(msn: msn)
        case .part(let msn, let index):
            data = rendition.part(msn: msn, index: index).map { [$0] }
        }
        return data.map { .media($0, contentType: Responses.m4s, cache: CachePolicy.immutable) }
    }

    /// Longer paths are left to the routes: `/hls/` plus two names and a file name fit in far less.
    static let maximumImmediatePath = 512
}
