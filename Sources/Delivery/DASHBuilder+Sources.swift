import Archive
import MediaCore
import Packager

extension DASHBuilder {
    /// One segment as an MPD lists it, from the live window or from the archive: what the
    /// timeline, the Periods and the URLs are made of.
    struct Segment: Sendable, Hashable {
        var msn: Int
        /// Its `tfdt`, in the rendition's timescale.
        var startDTS: Int64
        var duration: Int64
        /// Wall clock of its first sample, Unix epoch milliseconds.
        var programDateTime: Int64
        var discontinuity: Bool
        var gap: Bool
        /// Its init segment's URL, relative to the rendition's directory (`init.mp4`,
        /// `archive/init-{id}.mp4`).
        var map: String
        /// Its URL relative to the rendition's directory when it is archived
        /// (`archive/{day}-{hour}-{name}`); nil for `{msn}.m4s` of the live window.
        var archived: String?

        init(_ segment: LiveSegment, map: String) {
            msn = segment.msn
            startDTS = segment.startDTS
            duration = segment.duration
            programDateTime = segment.programDateTime
            discontinuity = segment.discontinuity
            gap = segment.gap
            self.map = map
            archived = nil
        }

        init(_ record: SegmentRecord) {
            msn = record.msn
            startDTS = record.startDTS
            duration = record.duration
            programDateTime = record.programDateTime
            discontinuity = record.discontinuity
            gap = record.gap
            map = ArchiveURI.initSegment(record.initID)
            archived = ArchiveURI.segment(record)
        }

        /// Its URL relative to the rendition's directory.
        var file: String { archived ?? "\(msn).m4s" }

        /// Whether `next`, in the same Period, decodes with the same init segment: the same map,
        /// or the live window's map after an archived one of the same session (the archive
        /// keeps the init segment the window has, under a name of its own).
        func sharesMap(with next: Segment) -> Bool {
            map == next.map || (archived == nil) != (next.archived == nil)
        }
    }

    /// One rendition as an MPD lists it: what describes it (codecs, bandwidth, as HLS has them)
    /// and its complete segments, in order.
    struct Rendition: Sendable {
        var source: PlaylistBuilder.VariantSource
        var timescale: UInt32
        /// Its longest segment, in whole seconds (EXT-X-TARGETDURATION of HLS).
        var targetDuration: Int
        var segments: [Segment]
        /// The markers archived with its archived segments (the live window's are the channel's).
        var markers: [LiveMarker] = []

        /// The segments of a live window, after `archived` (the archived run that leads up to the
        /// window, for a DVR window or a start-over): the complete ones, and the one being written
        /// once it holds a part. That one is announced with the duration it is cut at (the segment
        /// target, or what it holds if that is longer): its URL answers from its first part on,
        /// as it grows (``GrowingSegment``), and a player that reads it before the next MPD has
        /// it listed, as every later MPD does until it is complete.
        init(_ snapshot: RenditionSnapshot, configuration: PackagerConfiguration, archived: [SegmentRecord] = []) {
            source = PlaylistBuilder.VariantSource(snapshot)
            timescale = snapshot.track.timescale
            targetDuration = PlaylistBuilder.targetDuration(snapshot, configuration)
            let written = snapshot.segments.filter { $0.isComplete || !$0.parts.isEmpty }
            let target = configuration.segmentTarget.rescaled(to: snapshot.track.timescale).ticks
            markers = archived.flatMap(\.markers)
            segments = archived.map(Segment.init) + written.map { live in
                var segment = Segment(live, map: snapshot.mapURIs[live.mapIndex])
                if !live.isComplete { segment.duration = max(live.duration, target) }
                return segment
            }
        }

        /// Archived segments alone (catch-up, a recording, a start-over of a channel that is
        /// not live), described as ``PlaybackRoutes/archivedRenditions(channel:range:)`` measured them.
        init(_ source: PlaylistBuilder.VariantSource, records: [SegmentRecord]) {
            self.source = source
            timescale = records.first?.timescale ?? 1
            let ticksPerSecond = Int64(timescale)
            targetDuration = max(1, records.map { Int(($0.duration + ticksPerSecond / 2) / ticksPerSecond) }.max() ?? 1)
            segments = records.map(Segment.init)
            markers = records.flatMap(\.markers)
        }
    }
}
