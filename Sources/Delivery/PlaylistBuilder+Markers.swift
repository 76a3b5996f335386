import Manifests
import MediaCore
import Packager

extension ChannelMarker.Kind {
    /// The `CLASS` of a marker's `EXT-X-DATERANGE` tags: ours, by kind (RFC 8216bis §4.4.5.1:
    /// a client-defined set of attributes). An edge reads its origin's markers back by it.
    public var dateRangeClass: String { "urn:antenne:marker:\(rawValue)" }
}

extension PlaylistBuilder {
    /// The `EXT-X-DATERANGE` tags of `markers` for a playlist that lists `listed` (each segment's
    /// number and program date time, in order), by segment number. A marker's start goes with
    /// the segment it starts, with its `PLANNED-DURATION` and its cue (`SCTE35-OUT` for an ad
    /// break, `SCTE35-CMD` for a programme, §4.4.5.1.1). An ad break's return goes with the first
    /// segment listed from its end on: a second tag of the same `ID`, with its `DURATION` and
    /// `SCTE35-IN`. Each is listed for as long as its segment is.
    static func dateRanges(_ markers: [LiveMarker], listed: [(msn: Int, programDateTime: Int64)]) -> [Int: [MediaPlaylist.DateRange]] {
        guard let first = listed.first?.msn, let last = listed.last?.msn else { return [:] }
        var ranges: [Int: [MediaPlaylist.DateRange]] = [:]
        for marker in markers where marker.msn <= last {
            let rangeClass = marker.kind.dateRangeClass
            if marker.msn >= first {
                ranges[marker.msn, default: []].append(MediaPlaylist.DateRange(
                    id: marker.id, rangeClass: rangeClass, startDate: marker.programDateTime, plannedDuration: marker.duration,
                    scte35: marker.kind == .adBreak ? .out(marker.cue) : .command(marker.cue)))
            }
            // The first segment from the end on, if the listing shows it is the first: a segment
            // before it is listed too.
            if let returnCue = marker.returnCue,
               let end = listed.firstIndex(where: { $0.msn > marker.msn && $0.programDateTime >= marker.endDate }), end > 0 {
                ranges[listed[end].msn, default: []].append(MediaPlaylist.DateRange(
                    id: marker.id, rangeClass: rangeClass, startDate: marker.programDateTime, duration: marker.duration,
                    scte35: .in(returnCue)))
            }
        }
        return ranges
    }
}
