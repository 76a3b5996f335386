import Control
import Events
import Foundation
import Hub
import MediaCore
import Packager

/// The control API's markers go to the channel's hub, for its packager.
extension ChannelRuntime: ChannelMarkers {
    public func insert(_ marker: MarkerRequest, channel: String) -> MarkerInsertion {
        guard let hubChannel = hub.existingChannel(named: channel), hubChannel.isLive else { return .notLive }
        let start: ChannelMarker.Start
        switch marker.start {
        case .now: start = .wallClock(now())
        case .date(let milliseconds): start = .wallClock(milliseconds)
        case .mediaTime(let milliseconds): start = .mediaTime(MediaTime(ticks: milliseconds, timescale: 1_000))
        }
        let kind: ChannelMarker.Kind = marker.kind == .adBreak ? .adBreak : .programme
        let posted = hubChannel.markers.post(ChannelMarker(
            id: marker.id, kind: kind, start: start, duration: MediaTime(ticks: marker.durationMilliseconds, timescale: 1_000)))
        return posted ? .accepted : .full(limit: MarkerQueue.capacity)
    }
}

extension MarkerDetail {
    init(_ marker: LiveMarker) {
        self.init(
            id: marker.id, kind: marker.kind.rawValue, start: marker.programDateTime, durationMilliseconds: marker.duration.milliseconds,
            mediaSequence: marker.msn, scte35: marker.cue)
    }
}
