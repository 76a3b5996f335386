import Manifests
import MediaCore
import Packager

/// Turns live-window snapshots into a dynamic DASH MPD (ISO/IEC 23009-1) over the very segment
/// files HLS serves: `dash/{channel}/manifest.mpd` lists `../../hls/{channel}/{rendition}/…`, so
/// no media is copied or served twice. Codecs and bandwidths are the ones the HLS multivariant
/// playlist states (``PlaylistBuilder/VariantSource``).
///
/// Timing. A dynamic MPD maps media time to the wall clock through `availabilityStartTime`
/// (AST) and each Period's `start`: a Representation's media time `t` is presented at
/// `AST + Period@start + (t - presentationTimeOffset) / timescale` (§5.3.9.2, §5.3.9.6). The
/// packager stamps every segment with the wall clock of its first sample (`programDateTime`,
/// the EXT-X-PROGRAM-DATE-TIME of HLS) from one anchor per channel session, so for each
/// rendition `programDateTime - startDTS` (its *anchor*) is the wall clock of its media time
/// zero, the same for every segment of the session.
///
/// The renditions of a session share one media timeline (their samples are in sync by their
/// time stamps), but their anchors differ by the composition offset of video with B-frames:
/// its program date time follows the presentation time of the first frame, a few frames after
/// its decode time. Applying that difference as an offset would move video against audio by
/// those frames, so anchors less than ``sameTimeline`` apart are one timeline, anchored at the
/// earliest of them (the audio's, or the video's without B-frames: presentation time equals
/// decode time there, and that anchor is exact to the millisecond). A rendition on a timeline of
/// its own (a transcoder that restarted its time stamps) keeps its own anchor.
///
/// Periods. AST is the Unix epoch, fixed for the channel's life and the same on every origin.
/// Each discontinuity (a new session: a reconnect, a switch of input) starts a Period, so the
/// MPD lists the whole window across reconnects, as the HLS playlist does. A Period starts at
/// the latest timeline anchor of its renditions rounded up to a whole second, and is named by
/// that start: both depend only on the session's stamps, so they are the same in every version
/// of the MPD. Each Representation's `presentationTimeOffset` is its media time at the Period's
/// start, `(start - anchor) × timescale`: never negative (it is an unsigned value), the same
/// instant for every rendition of a timeline, so video and audio stay in sync, and `S@t` stays
/// the segment's `tfdt` (its start DTS, as the segment files carry it).
enum DASHBuilder {
    /// Where clients read the server's clock (`UTCTiming`, §5.8.4.11): an absolute path, so that
    /// it resolves to the same URL against the MPD and against a player's page on this origin.
    static let clockPath = "/dash/time"

    /// The MPD of a channel's listed renditions (video first, then audio, as listed), at `now`
    /// (Unix epoch milliseconds): a Period per session in the window (see ``periods(_:)``).
    static func manifest(channel: String, snapshots: [RenditionSnapshot], configuration: PackagerConfiguration, now: Int64) -> DASHManifest {
        let longest = snapshots.map { PlaylistBuilder.targetDuration($0, configuration) }.max() ?? 1
        let listings = Self.periods(snapshots).map { listing in
            zip(snapshots, listing).filter { !$0.1.isEmpty }.map { (snapshot: $0.0, segments: $0.1) }
        }
        // One timeline's anchors are grouped across Periods too: a rendition that goes on into
        // the next Period keeps the anchor its timeline had.
        let own = listings.map { $0.map { anchor($0.segments, timescale: $0.snapshot.track.timescale) } }
        let everyAnchor = own.flatMap { $0 }.compactMap { $0 }
        var periods: [DASHManifest.Period] = []
        for (runs, own) in zip(listings, own) {
            let anchors = own.map { $0.map { timelineAnchor($0, among: everyAnchor) } }
            guard let latest = anchors.compactMap({ $0 }).max() else { continue }
            let start = (latest + 999) / 1_000 * 1_000
            var sets: [DASHManifest.AdaptationSet] = []
            for type in [MediaType.video, .audio] {
                let representations = zip(runs, anchors).filter { $0.0.snapshot.track.mediaType == type }.map { run, anchor in
                    representation(run.snapshot, segments: run.segments, channel: channel, offset: anchor.map { start - $0 } ?? 0)
                }
                guard !representations.isEmpty else { continue }
                sets.append(DASHManifest.AdaptationSet(id: sets.count, contentType: type, representations: representations))
            }
            periods.append(DASHManifest.Period(id: String(start / 1_000), start: start, adaptationSets: sets))
        }
        return DASHManifest(
            availabilityStartTime: 0,
            publishTime: now,
            minimumUpdatePeriod: configuration.segmentTarget,
            timeShiftBufferDepth: configuration.window,
            // HOLD-BACK of HLS (RFC 8216bis §4.4.3.8): three target durations.
            suggestedPresentationDelay: MediaTime(ticks: Int64(longest * PlaybackRoutes.segmentsBeforeAnnouncing), timescale: 1),
            minBufferTime: configuration.segmentTarget,
            utcTiming: clockPath,
            periods: periods)
    }

    /// What each Period lists of each rendition, Period by Period (`[period][rendition]`): a
    /// Period begins at every segment that starts a session (a discontinuity) in any rendition,
    /// and holds each rendition's complete segments from there to the next such start. Within a
    /// Period, a rendition lists its segments from its last change of init segment on (earlier
    /// ones would need a Representation of their own), less any gaps they start with (a gap has no
    /// start time of its own). Gaps further on stay listed, so that numbers and times go on; their
    /// URLs answer 404, as their HLS EXT-X-GAP says. A rendition with nothing to list in a Period
    /// is left out of it.
    static func periods(_ snapshots: [RenditionSnapshot]) -> [[ArraySlice<LiveSegment>]] {
        let complete = snapshots.map { $0.segments.filter(\.isComplete) }
        let starts = Set(complete.flatMap { $0.filter(\.discontinuity).map(\.msn) }).sorted()
        let bounds = zip([Int.min] + starts, starts + [Int.max])
        return bounds.map { lower, upper in
            complete.map { segments in
                var listed = ArraySlice(segments.filter { $0.msn >= lower && $0.msn < upper })
                if let last = listed.last {
                    var first = listed.endIndex - 1
                    while first > listed.startIndex, listed[first - 1].mapIndex == last.mapIndex,
                          listed[first - 1].msn == listed[first].msn - 1 {
                        first -= 1
                    }
                    listed = listed[first...]
                }
                while listed.first?.gap == true { listed.removeFirst() }
                return listed
            }
        }
    }

    /// Anchors closer than this are one media timeline: more than any composition offset (a
    /// B-frame pyramid of a few frames is a few hundred milliseconds at most), far less than
    /// the seconds by which timelines that restarted differ.
    static let sameTimeline: Int64 = 1_000

    /// The anchor of the timeline `own` is on: the earliest of `anchors` at most ``sameTimeline``
    /// before it.
    static func timelineAnchor(_ own: Int64, among anchors: [Int64]) -> Int64 {
        anchors.filter { $0 <= own && own - $0 < sameTimeline }.min() ?? own
    }

    /// The wall clock of media time zero of a run (Unix epoch milliseconds).
    private static func anchor(_ segments: ArraySlice<LiveSegment>, timescale: UInt32) -> Int64? {
        segments.first.map { $0.programDateTime - MediaTime(ticks: $0.startDTS, timescale: timescale).milliseconds }
    }

    private static func representation(
        _ snapshot: RenditionSnapshot, segments: ArraySlice<LiveSegment>, channel: String, offset: Int64
    ) -> DASHManifest.Representation {
        let source = PlaylistBuilder.VariantSource(snapshot)
        let timescale = snapshot.track.timescale
        var timeline: [DASHManifest.TimelineSegment] = []
        timeline.reserveCapacity(segments.count)
        for segment in segments {
            let start = segment.gap ? (timeline.last.map { $0.start + $0.duration } ?? 0) : segment.startDTS
            // A segment ends where the next begins: its last sample's duration is an estimate
            // (the next sample was not there yet), and the next one's tfdt is what players see.
            if let last = timeline.last, abs(start - (last.start + last.duration)) * 10 < last.duration {
                timeline[timeline.count - 1].duration = start - last.start
            }
            timeline.append(DASHManifest.TimelineSegment(start: start, duration: segment.duration))
        }
        let base = "../../hls/\(channel)/\(snapshot.name)/"
        let map = segments.first.map { snapshot.mapURIs[$0.mapIndex] } ?? snapshot.mapURIs.last ?? "init.mp4"
        return DASHManifest.Representation(
            id: snapshot.name,
            codecs: source.codecs,
            bandwidth: source.peakBitrate,
            width: source.resolution?.width,
            height: source.resolution?.height,
            frameRate: source.frameRate,
            audioSamplingRate: snapshot.track.audio?.sampleRate,
            audioChannels: source.channels,
            segments: DASHManifest.SegmentTemplate(
                timescale: timescale,
                presentationTimeOffset: MediaTime(ticks: max(0, offset), timescale: 1_000).rescaled(to: timescale).ticks,
                startNumber: segments.first?.msn ?? 0,
                initialization: base + map,
                media: base + "$Number$.m4s",
                timeline: timeline))
    }
}
