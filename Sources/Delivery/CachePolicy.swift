/// Cache-Control values for a CDN in front of the origin.
enum CachePolicy {
    /// Segments, parts and init segments never change once they exist.
    static let immutable = "public, max-age=31536000, immutable"
    /// A live playlist is stale after about a part.
    static let livePlaylist = "public, max-age=1"
    /// The multivariant playlist changes only when renditions or measured bandwidths do.
    static let multivariant = "public, max-age=2"
    /// The thumbnail is refreshed every few seconds.
    static let thumbnail = "public, max-age=5"
    /// Blocking reloads and preload-hinted parts are answered per request.
    static let blocking = "no-store"
    /// Errors must not stick in a cache: the thing may exist a moment later.
    static let error = "no-store"
    /// The watch page.
    static let page = "public, max-age=60"
}
