import Containers
import MediaCore

/// A marker placed in the live window: the segment it starts (cut on its splice point where the
/// GOP allows), the wall clock there, and its SCTE-35 cues. Playlists list it while that segment
/// is listed (RFC 8216bis §4.4.5.1); the MPD carries it as an `EventStream` event.
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

    /// `marker` placed on segment `msn`, which starts at `start`, at wall clock `programDateTime`;
    /// its cues on the 90 kHz clock of SCTE-35 (§9.8.1).
    init(_ marker: ChannelMarker, msn: Int, start: MediaTime, programDateTime: Int64) {
        let pts = UInt64(truncatingIfNeeded: start.rescaled(to: 90_000).ticks) & SpliceInfoSection.ptsMask
        let ticks = UInt64(clamping: marker.duration.rescaled(to: 90_000).ticks)
        let cue: SpliceInfoSection
        var returnCue: SpliceInfoSection?
        switch marker.kind {
        case .adBreak:
            cue = .breakStart(eventID: marker.eventID, ptsTime: pts, duration: ticks)
            returnCue = .breakEnd(eventID: marker.eventID, ptsTime: pts &+ ticks)
        case .programme:
            cue = .programmeStart(eventID: marker.eventID, ptsTime: pts, duration: ticks)
        }
        self.init(
            id: marker.id, kind: marker.kind, msn: msn, start: start, programDateTime: programDateTime, duration: marker.duration,
            eventID: marker.eventID, cue: cue.encoded(), returnCue: returnCue?.encoded())
    }

    /// When it ends, Unix epoch milliseconds.
    public var endDate: Int64 { programDateTime + duration.milliseconds }
}
