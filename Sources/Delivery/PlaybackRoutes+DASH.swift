import Manifests
import NIOCore

/// `dash/{channel}/manifest.mpd`: the live window as a dynamic DASH MPD (``DASHBuilder``) over
/// the HLS segment files, with the same access rules as `hls/`: a token channel's MPD is refused
/// without a valid `?token=` and carries it on every segment and init segment URL. Like a media
/// playlist, it is rendered once per window and shared (``PlaylistCache``). `dash/time`:
/// the server's clock for the MPD's `UTCTiming`.
extension PlaybackRoutes {
    func dashManifest(channel: String, request: PlaybackRequest) -> PlaybackAnswer {
        authorized(channel, request) { grant in
            guard let packager = packagers.channel(named: channel) else { return .now(.notFound("unknown channel")) }
            let snapshots = packager.listedRenditions.compactMap { $0.snapshot() }
            guard snapshots.areAnnounced else { return .now(.notFound("channel is offline")) }
            let key = PlaylistCache.Key(manifestOf: snapshots, signed: grant.token != nil)
            let template = playlists.playlist(for: packager, key: key) {
                DASHBuilder.manifest(channel: channel, snapshots: snapshots, configuration: packager.configuration, now: now())
                    .render(query: grant.token.map { _ in PlaybackGrant.token(PlaylistTemplate.hole) }?.query())
            }
            return .now(.mpd(template, token: grant.token, cache: grant.playlistCache(CachePolicy.livePlaylist)))
        }
    }

    /// The wall clock as an ISO 8601 date-time (`urn:mpeg:dash:utc:http-iso:2014`, ISO/IEC
    /// 23009-1 §5.8.5.7), never cached.
    var serverClock: PlaybackResponse {
        PlaybackResponse(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: CachePolicy.perRequest],
            body: .buffers([ByteBuffer(string: DASHManifest.dateTime(now()))]))
    }
}

extension PlaybackResponse {
    /// ISO/IEC 23009-1 Annex C.
    static let dashXML = "application/dash+xml"

    static func mpd(_ template: PlaylistTemplate, token: String?, cache: String) -> PlaybackResponse {
        PlaybackResponse(
            status: .ok, headers: [.contentType: dashXML, .cacheControl: cache, .eTag: template.etag(filledWith: token)],
            body: .buffers([template.filled(with: token)]))
    }
}
