import Containers
import MediaCore

extension ChannelSessions {
    /// Markers that wait for their segment at most: what the hub's queue holds
    /// (``MarkerQueue/capacity``), twice over.
    static let maximumPendingMarkers = 32

    /// Takes markers posted on the channel. Each waits for the first segment the leader opens at
    /// or after its start; the leader cuts one there, on the first sync sample at or after it,
    /// unless transcoded video follows: a ladder has key frames only where the transcoder forces
    /// them (on the segment grid), so the marker then takes the next boundary of the grid.
    /// A marker needs a source session: one that comes without is dropped.
    mutating func mark(_ markers: [ChannelMarker]) {
        guard let leader = leaderIndex else {
            statistics.markersDropped += markers.count
            return
        }
        let timescale = tracks[.source]![leader]!.segmenter.timescale
        for marker in markers {
            let start: MediaTime
            switch marker.start {
            case .mediaTime(let time):
                start = time
            case .wallClock(let milliseconds):
                guard let anchor else {
                    statistics.markersDropped += 1
                    continue
                }
                let offset = MediaTime.rescale(milliseconds - anchor.wallClock, from: 1_000, to: timescale)
                start = MediaTime(ticks: anchor.time.rescaled(to: timescale).ticks + offset, timescale: timescale)
            }
            pendingMarkers.append((marker, start))
            if pendingMarkers.count > Self.maximumPendingMarkers {
                pendingMarkers.removeFirst()
                statistics.markersDropped += 1
            }
            splice(at: start)
        }
    }

    /// The source's leading track, while a session is under way.
    private var leaderIndex: Int? {
        tracks[.source]?.firstIndex { $0?.isLeader == true }
    }

    /// Asks the leader to cut at `time`, unless transcoded video follows (see ``mark(_:)``).
    private mutating func splice(at time: MediaTime) {
        guard let leader = leaderIndex, !(tracks[.renditions]?.contains { $0?.isVideo == true } ?? false) else { return }
        let timescale = tracks[.source]![leader]!.segmenter.timescale
        tracks[.source]![leader]!.segmenter.splice(at: time.rescaled(to: timescale).ticks)
    }

    /// The leader opened segment `msn` at `start`: every marker waiting for a time at or before it
    /// starts there. Its action goes before the segment's own, so a playlist that lists the
    /// segment lists the marker. An ad break's return, its duration later, is a splice point too.
    mutating func place(at msn: Int, start: MediaTime, programDateTime: Int64, _ step: inout Step) {
        let due = pendingMarkers.filter { $0.start <= start }
        guard !due.isEmpty else { return }
        pendingMarkers.removeAll { $0.start <= start }
        for (marker, _) in due {
            step.actions.append(.marker(LiveMarker(marker, msn: msn, start: start, programDateTime: programDateTime)))
            statistics.markers += 1
            if marker.kind == .adBreak {
                let end = MediaTime.rescale(marker.duration.ticks, from: marker.duration.timescale, to: start.timescale)
                splice(at: MediaTime(ticks: start.ticks + end, timescale: start.timescale))
            }
        }
    }
}
