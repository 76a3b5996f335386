import MediaCore

/// An HLS Media Playlist (RFC 8216bis §4.4.3-§4.4.5), including the Low-Latency HLS tags.
///
/// Render it with ``render()``; parse one with ``parse(_:timescale:limits:)``. All durations are
/// ``MediaTime`` values; the text form has five decimals (see ``render()``).
public struct MediaPlaylist: Sendable, Hashable {
    /// `EXT-X-VERSION` (§4.4.1.2). Always rendered. LL-HLS with `EXT-X-SKIP` needs 9 or more,
    /// fMP4 segments (`EXT-X-MAP` without I-frames-only) 6 or more. A parsed playlist without the
    /// tag has version 1.
    public var version: Int
    /// `EXT-X-TARGETDURATION` in whole seconds (§4.4.3.1). Rendered as given: the packager knows
    /// its target and must keep it constant for the life of the playlist; every segment's
    /// duration, rounded to the nearest integer, must not exceed it.
    /// ``requiredTargetDuration(for:)`` computes the smallest valid value.
    public var targetDuration: Int
    /// `EXT-X-MEDIA-SEQUENCE` (§4.4.3.2): the media sequence number of the first segment,
    /// counting segments a delta update skips. Always rendered.
    public var mediaSequence: Int64
    /// `EXT-X-DISCONTINUITY-SEQUENCE` (§4.4.3.3), rendered when non-zero.
    public var discontinuitySequence: Int64
    /// `EXT-X-PLAYLIST-TYPE` (§4.4.3.5); nil for a live sliding-window playlist.
    public var playlistType: PlaylistType?
    /// `EXT-X-INDEPENDENT-SEGMENTS` (§4.4.2.1).
    public var independentSegments: Bool
    /// `EXT-X-PART-INF:PART-TARGET` (§4.4.3.7); nil when the playlist has no parts.
    public var partTarget: MediaTime?
    /// `EXT-X-SERVER-CONTROL` (§4.4.3.8).
    public var serverControl: ServerControl?
    /// `EXT-X-SKIP:SKIPPED-SEGMENTS` (§4.4.5.2): segments a Playlist Delta Update left out before
    /// ``segments``. Rendered when non-zero. See ``deltaUpdate(canSkipUntil:)``.
    public var skippedSegments: Int
    /// Complete media segments, oldest first.
    public var segments: [Segment]
    /// The segment being produced: its parts so far (§4.4.4.9), after the last complete segment.
    public var inProgressSegment: InProgressSegment?
    /// `EXT-X-PRELOAD-HINT` (§4.4.5.3): the next part (or map) the server will publish.
    public var preloadHint: PreloadHint?
    /// `EXT-X-RENDITION-REPORT` tags (§4.4.5.4), one per other rendition of the same content.
    public var renditionReports: [RenditionReport]
    /// `EXT-X-ENDLIST` (§4.4.3.4).
    public var endList: Bool
    /// Parsing only: `EXT-X-DATERANGE` tags left out, unreadable or over a limit (see
    /// ``parse(_:timescale:limits:)``), and why the first was. Never rendered.
    public var droppedDateRanges = 0
    public var firstDroppedDateRange: ManifestError?

    public init(
        version: Int,
        targetDuration: Int,
        mediaSequence: Int64 = 0,
        discontinuitySequence: Int64 = 0,
        playlistType: PlaylistType? = nil,
        independentSegments: Bool = false,
        partTarget: MediaTime? = nil,
        serverControl: ServerControl? = nil,
        skippedSegments: Int = 0,
        segments: [Segment] = [],
        inProgressSegment: InProgressSegment? = nil,
        preloadHint: PreloadHint? = nil,
        renditionReports: [RenditionReport] = [],
        endList: Bool = false
    ) {
        self.version = version
        self.targetDuration = targetDuration
        self.mediaSequence = mediaSequence
        self.discontinuitySequence = discontinuitySequence
        self.playlistType = playlistType
        self.independentSegments = independentSegments
        self.partTarget = partTarget
        self.serverControl = serverControl
        self.skippedSegments = skippedSegments
        self.segments = segments
        self.inProgressSegment = inProgressSegment
        self.preloadHint = preloadHint
        self.renditionReports = renditionReports
        self.endList = endList
    }

    /// `EXT-X-PLAYLIST-TYPE` values (§4.4.3.5).
    public enum PlaylistType: String, Sendable, Hashable {
        case event = "EVENT"
        case vod = "VOD"
    }

    /// The smallest `EXT-X-TARGETDURATION` valid for `segments`: the largest duration rounded
    /// to the nearest whole second, half up (§4.4.3.1), and at least 1.
    public static func requiredTargetDuration(for segments: [Segment]) -> Int {
        var result = 1
        for segment in segments {
            let d = segment.duration
            let rounded = (d.ticks * 2 + Int64(d.timescale)) / (Int64(d.timescale) * 2)
            result = max(result, Int(rounded))
        }
        return result
    }

    /// The media sequence number the next complete segment will get (§6.2.5.2 `_HLS_msn`).
    public var nextMediaSequence: Int64 {
        mediaSequence + Int64(skippedSegments) + Int64(segments.count)
    }
}
