import NIOCore

/// One LL-HLS part held in the live window.
public struct LivePart: Sendable {
    public var index: Int
    /// In the rendition's timescale.
    public var duration: Int64
    /// Starts on a sync sample (EXT-X-PART INDEPENDENT=YES).
    public var independent: Bool
    public var data: ByteBuffer

    public init(index: Int, duration: Int64, independent: Bool, data: ByteBuffer) {
        self.index = index
        self.duration = duration
        self.independent = independent
        self.data = data
    }
}

/// One media segment in the live window. While `isComplete` is false it is the open segment at the
/// live edge and only its parts exist.
public struct LiveSegment: Sendable {
    public var msn: Int
    public var startDTS: Int64
    /// Sum of its parts' durations, in the rendition's timescale.
    public var duration: Int64
    /// First segment after an encoder reconnect or a configuration change.
    public var discontinuity: Bool
    /// Wall-clock time of the first sample, Unix epoch milliseconds (EXT-X-PROGRAM-DATE-TIME).
    public var programDateTime: Int64
    /// Which init segment decodes it (index into the rendition's init segments).
    public var mapIndex: Int
    /// Parts, as listed and served one by one; emptied once the segment is too old to be listed
    /// with parts (its bytes stay in `data`).
    public var parts: [LivePart]
    /// The whole segment, set once complete: its parts' buffers in order, shared, not copied.
    public var data: [ByteBuffer]?
    /// Listed with EXT-X-GAP: this rendition has nothing for this time (its transcoder was down),
    /// while the channel's other renditions do.
    public var gap = false

    public var isComplete: Bool { data != nil || gap }

    /// Bytes of the whole segment (0 until it is complete).
    public var size: Int { data?.reduce(0) { $0 + $1.readableBytes } ?? 0 }
}
