import Containers
import Delivery
import Manifests
import MediaCore
import NIOConcurrencyHelpers
import Packager

/// A channel's markers as its origin's playlists list them (issue 18, item 5). Each
/// `EXT-X-DATERANGE` of an Antenne marker class becomes the ``LiveMarker`` the origin rendered it
/// from, so the edge's playlists (full, delta updates, blocking reloads) and its MPD's
/// `EventStream` render it through delivery's one path, with the origin's bytes. The segments
/// need nothing more: the origin cut them on the splice point, and they are its bytes.
///
/// The origin is read like any wire input: a date range of another class, with a cue that is not a
/// valid `splice_info_section`, an id over ``ChannelMarker/maximumIDLength`` or a duration over
/// ``ChannelMarker/maximumDuration`` is left out; so is a return whose start the edge never saw.
final class EdgeMarkers: Sendable {
    /// Markers held at most, oldest dropped first: as many as an origin holds
    /// (``ChannelPackager/maximumMarkers``).
    static let maximum = ChannelPackager.maximumMarkers

    private let held = NIOLockedValueBox<[LiveMarker]>([])

    init() {}

    /// Oldest first, each on the segment it starts.
    var markers: [LiveMarker] { held.withLockedValue { $0 } }

    /// Takes the date ranges of the segments `listed` (by number, as the origin lists them, in
    /// full: the edge never asks for a delta update). Returns how many it left out, and why the
    /// first was.
    @discardableResult
    func take(_ listed: [(msn: Int, dateRanges: [MediaPlaylist.DateRange])]) -> (leftOut: Int, reason: String?) {
        guard listed.contains(where: { !$0.dateRanges.isEmpty }) else { return (0, nil) }
        return held.withLockedValue { markers in
            var result: (leftOut: Int, reason: String?) = (0, nil)
            for (msn, ranges) in listed {
                for range in ranges {
                    guard let reason = Self.take(range, msn: msn, into: &markers) else { continue }
                    result.leftOut += 1
                    result.reason = result.reason ?? "\(range.id): \(reason)"
                }
            }
            if markers.count > Self.maximum { markers.removeFirst(markers.count - Self.maximum) }
            return result
        }
    }

    /// Adds the marker `range` starts on segment `msn`, or the return cue it brings to a marker
    /// held; a range already taken changes nothing. Returns why it is left out, nil when taken.
    static func take(_ range: MediaPlaylist.DateRange, msn: Int, into markers: inout [LiveMarker]) -> String? {
        guard range.id.utf8.count <= ChannelMarker.maximumIDLength else { return "an id over \(ChannelMarker.maximumIDLength) bytes" }
        guard let kind = ChannelMarker.Kind.allCases.first(where: { $0.dateRangeClass == range.rangeClass }) else {
            return "class \(range.rangeClass ?? "none") is not a marker's"
        }
        let index = markers.firstIndex { $0.id == range.id }
        switch (kind, range.scte35) {
        case (.adBreak, .out(let cue)?), (.programme, .command(let cue)?):
            if index != nil { return nil }
            guard let duration = range.plannedDuration, duration.ticks > 0, duration <= ChannelMarker.maximumDuration else {
                return "no PLANNED-DURATION up to \(ChannelMarker.maximumDuration.milliseconds) ms"
            }
            let section: SpliceInfoSection
            do {
                section = try SpliceInfoSection(parsing: cue)
            } catch {
                return "its cue: \(error)"
            }
            guard let eventID = section.eventID else { return "its cue names no event" }
            markers.append(LiveMarker(
                id: range.id, kind: kind, msn: msn, start: MediaTime(ticks: Int64(section.ptsTime ?? 0), timescale: 90_000),
                programDateTime: range.startDate, duration: duration, eventID: eventID, cue: cue, returnCue: nil))
            return nil
        case (.adBreak, .in(let cue)?):
            guard let index, markers[index].programDateTime == range.startDate else { return "a return whose start the edge has not seen" }
            if markers[index].returnCue != nil { return nil }
            let section: SpliceInfoSection
            do {
                section = try SpliceInfoSection(parsing: cue)
            } catch {
                return "its return cue: \(error)"
            }
            guard section.eventID == markers[index].eventID else { return "its return cue names another event" }
            markers[index].returnCue = cue
            return nil
        default:
            return "no SCTE35 attribute of its kind"
        }
    }
}

extension SpliceInfoSection {
    /// The `pts_time` the cue splices at: a splice_insert's, or a time_signal's.
    fileprivate var ptsTime: UInt64? {
        switch command {
        case .insert(let insert): insert.ptsTime
        case .timeSignal(let ptsTime): ptsTime
        case .null, .other: nil
        }
    }
}
