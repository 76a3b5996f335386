import Foundation
import Manifests
import Packager

extension DASHBuilder {
    /// Puts each marker whose segment the MPD lists in the Period it falls in, as an SCTE-35
    /// event (ANSI/SCTE 214-1 §6.7): its start cue, at its program date time less the Period's
    /// start (the MPD's availabilityStartTime is the Unix epoch), lasting its duration, in
    /// milliseconds. Periods are in order of start.
    static func addEvents(of markers: [LiveMarker], listed: Set<Int>, to periods: inout [DASHManifest.Period]) {
        var events: [Int: [DASHManifest.EventStream.Event]] = [:]
        for marker in markers where listed.contains(marker.msn) {
            guard let index = periods.lastIndex(where: { $0.start <= marker.programDateTime }) else { continue }
            events[index, default: []].append(DASHManifest.EventStream.Event(
                presentationTime: marker.programDateTime - periods[index].start, duration: marker.duration.milliseconds,
                id: marker.eventID, binary: Data(marker.cue).base64EncodedString()))
        }
        for (index, list) in events { periods[index].eventStreams = [DASHManifest.EventStream(events: list)] }
    }
}
