import MediaCore

/// A consistent view of one rendition's live window, for rendering playlists.
public struct RenditionSnapshot: Sendable {
    public var name: String
    public var track: TrackInfo
    /// Listed segments, oldest first; the last one may be the open (incomplete) segment.
    public var segments: [LiveSegment]
    /// Discontinuity sequence number of the first listed segment (EXT-X-DISCONTINUITY-SEQUENCE).
    public var discontinuitySequence: Int
    /// Init segment URIs by map index.
    public var mapURIs: [String]
    /// The longest segment this rendition ever produced, in its timescale (for EXT-X-TARGETDURATION).
    public var longestSegment: Int64
    /// Peak and average bits per second over the listed complete segments.
    public var peakBitrate: Int
    public var averageBitrate: Int
    /// A publisher is feeding the channel.
    public var isLive: Bool
    /// The caption channels (CEA-608, CEA-708) the current session carries in its video
    /// samples' SEI, empty for none; nil when not known (a rendition no packager scanned: an
    /// edge's, an AV1 one).
    public var captions: CaptionChannels? = nil
    /// When the publisher left (Unix epoch milliseconds), if it did.
    public var endedAt: Int64?
    /// Changes every time the window changes.
    public var version: Int

    public var lastCompleteMSN: Int? { segments.last(where: \.isComplete)?.msn }

    /// The newest part: (msn, index).
    public var lastPart: (msn: Int, index: Int)? {
        for segment in segments.reversed() {
            if let last = segment.parts.last { return (segment.msn, last.index) }
            if segment.isComplete { return nil }
        }
        return nil
    }
}
