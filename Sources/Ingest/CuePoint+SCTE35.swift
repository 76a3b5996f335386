import Containers
import MediaCore

extension CuePoint {
    /// The marker an SCTE-35 cue starts at `start`, whichever input carried it (an RTMP
    /// `onCuePoint`, an MPEG-TS stream of type 0x86), or nil for a cue that starts none:
    /// - a program `splice_insert()` out of the network (ANSI/SCTE 35 2022 §9.7.3) is an ad break
    ///   of its `break_duration`; a return to the network or a cancellation starts nothing;
    /// - a `time_signal()` (§9.7.4) is a programme when a segmentation descriptor says Program
    ///   Start, an ad break when it says a break or advertisement starts (§10.3.3, table 23), of
    ///   that descriptor's duration;
    /// - `splice_null()` (a heartbeat) and other commands start nothing.
    ///
    /// `id` defaults to `scte35-` and the cue's event id, `duration` (milliseconds) stands in for a
    /// cue without one. A cue that starts a marker without any duration, or whose descriptors
    /// cannot be read, throws.
    public static func marker(_ splice: SpliceInfoSection, start: ChannelMarker.Start, id: String? = nil, duration: Int64? = nil)
        throws(IngestError) -> ChannelMarker? {
        let kind: ChannelMarker.Kind
        let ticks: UInt64?
        let eventID: UInt32
        switch splice.command {
        case .insert(let insert):
            guard !insert.cancel, insert.outOfNetwork else { return nil }
            kind = .adBreak
            ticks = insert.breakDuration?.duration
            eventID = insert.eventID
        case .timeSignal:
            var found: (ChannelMarker.Kind, Segmentation)?
            for descriptor in splice.descriptors {
                let segmentation: Segmentation?
                do {
                    segmentation = try Segmentation(descriptor)
                } catch {
                    throw .invalidCuePoint("SCTE-35: \(error)")
                }
                guard let segmentation else { continue }
                if segmentation.type == SegmentationType.programStart {
                    found = (.programme, segmentation)
                } else if SegmentationType.adStarts.contains(segmentation.type) {
                    found = (.adBreak, segmentation)
                }
                if found != nil { break }
            }
            guard let found else { return nil }
            kind = found.0
            ticks = found.1.duration
            eventID = found.1.eventID
        case .null, .other:
            return nil
        }
        return try marker(kind: kind, start: start, milliseconds: ticks.map { Int64(clamping: $0 / 90) } ?? duration,
                          id: id ?? "scte35-\(eventID)", eventID: eventID)
    }
}
