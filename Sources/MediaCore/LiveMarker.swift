/// A marker placed on a segment: the segment it starts (cut on its splice point where the GOP
/// allows), the wall clock there, and its SCTE-35 cues. The packager places it (``ChannelMarker``
/// in, this out), the live window keeps it, and the archive keeps it with the segments its
/// boundaries are on. Playlists list it while that segment is listed (RFC 8216bis §4.4.5.1),
/// live or from the archive; the MPD carries it as an `EventStream` event.
public struct LiveMarker: Sendable, Hashable {
    public var id: String
    public var kind: ChannelMarker.Kind
    /// The segment it starts: the first the leader opened at or after the marker's time.
    public var msn: Int
    /// Where it starts: the presentation time of that segment's first sample on the source's
    /// timeline.
    public var start: MediaTime
    /// The wall clock at ``start``, Unix epoch milliseconds: that segment's program date time
    /// (`START-DATE`).
    public var programDateTime: Int64
    public var duration: MediaTime
    public var eventID: UInt32
    /// The `splice_info_section` at the start: an ad break's `splice_insert` out of the network,
    /// or a programme's `time_signal` with its Program Start descriptor (ANSI/SCTE 35 2022).
    public var cue: [UInt8]
    /// An ad break's return to the network at its end (`splice_insert`, out-of-network 0).
    public var returnCue: [UInt8]?

    public init(
        id: String, kind: ChannelMarker.Kind, msn: Int, start: MediaTime, programDateTime: Int64, duration: MediaTime, eventID: UInt32,
        cue: [UInt8], returnCue: [UInt8]?
    ) {
        self.id = id
        self.kind = kind
        self.msn = msn
        self.start = start
        self.programDateTime = programDateTime
        self.duration = duration
        self.eventID = eventID
        self.cue = cue
        self.returnCue = returnCue
    }

    /// When it ends, Unix epoch milliseconds.
    public var endDate: Int64 { programDateTime + duration.milliseconds }

    /// Whether its return (an ad break's `SCTE35-IN`) goes with segment `msn`, which starts at
    /// `programDateTime`, the segment before it having started at `previous`: the first segment
    /// after its own that starts at or after its end, as a playlist that lists both places it.
    /// Without the segment before (a rendition's first), only the one right after its own.
    public func returns(at msn: Int, programDateTime: Int64, previous: Int64?) -> Bool {
        guard returnCue != nil, msn > self.msn, programDateTime >= endDate else { return false }
        guard msn - 1 > self.msn else { return true }
        return previous.map { $0 < endDate } ?? false
    }

    /// `markers` with each one once (the same marker is read from every segment its boundaries
    /// are on, in every rendition): the first of each id and segment, in order of segment.
    public static func distinct(_ markers: [LiveMarker]) -> [LiveMarker] {
        var seen: Set<MarkerIdentity> = []
        return markers.filter { seen.insert(MarkerIdentity(id: $0.id, msn: $0.msn)).inserted }
            .enumerated().sorted { ($0.element.msn, $0.offset) < ($1.element.msn, $1.offset) }.map(\.element)
    }

    private struct MarkerIdentity: Hashable {
        var id: String
        var msn: Int
    }
}
