import NIOCore

/// A segment of one rendition that has just been completed (or listed as a gap), with everything
/// an archive keeps of it: the packager makes it, the archive stores it.
public struct CompletedSegment: Sendable, Hashable {
    public var channel: String
    public var rendition: String
    public var msn: Int
    /// Media time of the first sample, in `timescale` (the `tfdt`).
    public var startDTS: Int64
    public var duration: Int64
    public var timescale: UInt32
    /// Wall-clock time of the first sample, Unix epoch milliseconds.
    public var programDateTime: Int64
    public var discontinuity: Bool
    /// The rendition had nothing for this time: `parts` is empty.
    public var gap: Bool
    /// The track its init segment describes.
    public var track: TrackInfo
    /// The init segment that decodes it.
    public var initSegment: ByteBuffer
    /// The segment's bytes: its CMAF parts in order, as the live window holds them (not joined).
    public var parts: [ByteBuffer]
    /// The markers whose boundaries are on it: those it starts, and ad breaks whose return goes
    /// with it (``LiveMarker/returns(at:programDateTime:previous:)``). They ride beside its
    /// bytes, never in them.
    public var markers: [LiveMarker] = []

    public init(
        channel: String, rendition: String, msn: Int, startDTS: Int64, duration: Int64, timescale: UInt32,
        programDateTime: Int64, discontinuity: Bool, gap: Bool, track: TrackInfo, initSegment: ByteBuffer, parts: [ByteBuffer]
    ) {
        self.channel = channel
        self.rendition = rendition
        self.msn = msn
        self.startDTS = startDTS
        self.duration = duration
        self.timescale = timescale
        self.programDateTime = programDateTime
        self.discontinuity = discontinuity
        self.gap = gap
        self.track = track
        self.initSegment = initSegment
        self.parts = parts
    }

    /// A segment in one buffer.
    public init(
        channel: String, rendition: String, msn: Int, startDTS: Int64, duration: Int64, timescale: UInt32,
        programDateTime: Int64, discontinuity: Bool, gap: Bool, track: TrackInfo, initSegment: ByteBuffer, data: ByteBuffer
    ) {
        self.init(
            channel: channel, rendition: rendition, msn: msn, startDTS: startDTS, duration: duration, timescale: timescale,
            programDateTime: programDateTime, discontinuity: discontinuity, gap: gap, track: track, initSegment: initSegment,
            parts: [data])
    }

    /// Bytes of the whole segment.
    public var size: Int { parts.reduce(0) { $0 + $1.readableBytes } }
}
