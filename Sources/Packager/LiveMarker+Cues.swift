import Containers
import MediaCore

extension LiveMarker {
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
}
