/// Cache-Control values for a CDN in front of the origin.
enum CachePolicy {
    /// Segments, parts and init segments never change once they exist.
    static let immutable = "public, max-age=31536000, immutable"
    /// A live playlist is stale after about a part. A blocking reload's answer (`_HLS_msn`,
    /// `_HLS_part`) gets the same: whenever it is served, from here or a cache, it holds the part
    /// its URL asked for, so it may be shared, and a CDN collapses the requests of every viewer
    /// waiting for that part into one (docs/CDN.md).
    static let livePlaylist = "public, max-age=1"
    /// The multivariant playlist changes only when renditions or measured bandwidths do.
    static let multivariant = "public, max-age=2"
    /// The thumbnail is refreshed every few seconds.
    static let thumbnail = "public, max-age=5"
    /// Answers that hold the moment they were made: the server's clock, health.
    static let perRequest = "no-store"
    /// Errors must not stick in a cache: the thing may exist a moment later.
    static let error = "no-store"
    /// A catch-up or recording playlist: its range is in the past, but segments still on their way
    /// to the archive may join it for a moment.
    static let archivePlaylist = "public, max-age=30"
    /// The watch page.
    static let page = "public, max-age=60"
    /// A content key (`hls/{channel}/keys/{period}`): for the viewer who asked only, kept nowhere.
    static let contentKey = "private, no-store"

    // Token channels (`ChannelVisibility.token`). Their playlists embed the viewer's token in every
    // URI, so only the viewer's own cache may keep them. Their segments, parts, init segments and
    // thumbnail are the same bytes for every viewer and keep the public policies above: a CDN in
    // front must then either include the query string in its cache key (each token its own entry)
    // or verify the token at the edge and strip it before looking up, never ignore it (that would
    // serve cached media to requests without a token). Refusals (401, 403, 410) are `error`.

    /// A token channel's live media playlist.
    static let signedLivePlaylist = "private, max-age=1"
    /// A token channel's multivariant playlist.
    static let signedMultivariant = "private, max-age=2"
    /// A token channel's catch-up or recording playlist.
    static let signedArchivePlaylist = "private, max-age=30"
}
