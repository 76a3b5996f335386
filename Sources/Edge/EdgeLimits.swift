import Manifests

/// Bounds on what an edge reads from its origins and how much it pulls at once.
public struct EdgeLimits: Sendable {
    /// A media playlist's bytes. 1 MiB: a 60 s window of 2 s segments with 0.5 s parts, rendition
    /// reports and a signed token on every URI is under 64 KiB; the rest is room for longer windows.
    public var playlistBytes = 1 << 20
    /// A part's or a segment's bytes. 32 MiB: a 2 s segment of 4K video at 60 Mbit/s is 15 MB.
    public var mediaBytes = 32 << 20
    /// An init segment's bytes, as the archive's reader allows (`MP4Limits.initSegmentBytes`).
    public var initBytes = 1 << 20
    /// A thumbnail's bytes. 2 MiB: a 1080p key frame as JPEG is 200-500 KB.
    public var thumbnailBytes = 2 << 20
    /// A pass-through answer's bytes (archived playlists and segments, clips). 64 MiB: a day's
    /// catch-up playlist is ~9 MB; a clip of two minutes at 4 Mbit/s is 60 MB.
    public var forwardedBytes = 64 << 20
    /// Renditions pulled per channel. 16: the largest ladder shipped has 4 video rungs and audio;
    /// the rest is room for custom ladders and languages.
    public var renditions = 16
    /// Channels pulled at once. 512: an OTT lineup of 100+ channels, five times over. A viewer
    /// asking for one more gets a 404 until an idle channel is dropped.
    public var channels = 512
    /// Complete segments a new pull starts with: HOLD-BACK, three target durations (RFC 8216bis
    /// §4.4.3.8), where a player that is not low-latency starts, and what Delivery holds before
    /// it announces a channel.
    public var startSegments = 3

    /// The playlist limits given to the parser: the byte bound above; the parser's own defaults
    /// for the rest.
    var playlistLimits: PlaylistLimits {
        var limits = PlaylistLimits()
        limits.maxBytes = playlistBytes
        limits.maxStreams = max(renditions * 2, 8)
        return limits
    }

    public init() {}
}
