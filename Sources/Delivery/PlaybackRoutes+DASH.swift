import Manifests
import NIOCore

/// `dash/{channel}/manifest.mpd`: the live window as a dynamic DASH MPD (``DASHBuilder``) over
/// the HLS segment files, with the same access rules as `hls/`: a token channel's MPD is refused
/// without a valid `?token=` and carries it on every segment and init segment URL. `dash/time`:
/// the server's clock for the MPD's `UTCTiming`.
extension PlaybackRoutes {
    func dashManifest(channel: String, request: PlaybackRequest) -> PlaybackAnswer {
        authorized(channel, request) { grant in
            guard let packager = packagers.channel(named: channel) else { return .now(.notFound("unknown channel")) }
            let snapshots = packager.listedRenditions.compactMap { $0.snapshot() }
            guard snapshots.areAnnounced else { return .now(.notFound("channel is offline")) }
            let manifest = DASHBuilder.manifest(channel: channel, snapshots: snapshots, configuration: packager.configuration, now: now())
            return .now(.mpd(manifest.render(query: grant.query()), cache: grant.playlistCache(CachePolicy.livePlaylist)))
        }
    }

    /// The wall clock as an ISO 8601 date-time (`urn:mpeg:dash:utc:http-iso:2014`, ISO/IEC
    /// 23009-1 §5.8.5.7), never cached.
    var serverClock: PlaybackResponse {
        PlaybackResponse(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: CachePolicy.blocking],
            body: .buffers([ByteBuffer(string: DASHManifest.dateTime(now()))]))
    }
}

extension PlaybackResponse {
    /// ISO/IEC 23009-1 Annex C.
    static let dashXML = "application/dash+xml"

    static func mpd(_ text: String, cache: String) -> PlaybackResponse {
        PlaybackResponse(status: .ok, headers: [.contentType: dashXML, .cacheControl: cache], body: .buffers([ByteBuffer(string: text)]))
    }
}
