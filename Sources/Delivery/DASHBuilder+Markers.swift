import Foundation
import Manifests
import MediaCore

extension DASHBuilder {
    /// Puts each marker whose segment the MPD lists in the Period it falls in, as an SCTE-35
    /// event (ANSI/SCTE 214-1 §6.7): its start cue, at its program date time less the Period's
    /// start (the MPD's availabilityStartTime is the Unix epoch), lasting its duration, in
    /// milliseconds. Periods are in order of start. A marker on the first segment listed may start
    /// a little before the first Period (which starts at a whole second, or, in a static MPD, with
    /// the latest first segment of its renditions): it is at that Period's start.
    static func addEvents(of markers: [LiveMarker], listed: Set<Int>, to periods: inout [DASHManifest.Period]) {
        guard !periods.isEmpty else { return }
        var events: [Int: [DASHManifest.EventStream.Event]] = [:]
        for marker in markers where listed.contains(marker.msn) {
            let index = periods.lastIndex(where: { $0.start <= marker.programDateTime }) ?? periods.startIndex
            events[index, default: []].append(DASHManifest.EventStream.Event(
                presentationTime: max(0, marker.programDateTime - periods[index].start), duration: marker.duration.milliseconds,
                id: marker.eventID, binary: Data(marker.cue).base64EncodedString()))
        }
        for (index, list) in events { periods[index].eventStreams = [DASHManifest.EventStream(events: list)] }
    }
}
