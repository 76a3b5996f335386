import Manifests
import MediaCore
import Packager

/// Turns live-window snapshots and archived segments into DASH MPDs (ISO/IEC 23009-1) over the
/// very segment files HLS serves: `dash/{channel}/manifest.mpd` lists
/// `../../hls/{channel}/{rendition}/…`, so no media is copied or served twice. Codecs and
/// bandwidths are the ones the HLS multivariant playlist states (``PlaylistBuilder/VariantSource``).
///
/// Which MPD. The live window alone is a dynamic MPD in the live profile, each Representation a
/// `SegmentTemplate` with `$Number$`, and low-latency (``availabilityTimeOffset(_:)``,
/// ``serviceDescription(_:longest:)``): the last listed segment may be the one being written, which
/// is available from its first part on and arrives as it is written. A DVR window
/// (`?dvr=`) or a start-over (`?start=`) of a live channel adds the archived segments that lead up
/// to the window: those have names, not numbers (``ArchiveURI``), so every segment is listed in a
/// `SegmentList`, the same `archive/` URLs as HLS's DVR playlists. A catch-up range
/// (`?start=&end=`), a start-over of a channel that is not live, or a recording is static: the
/// archive alone, its Periods counted from the first one's start.
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
/// Periods. AST of a dynamic MPD is the Unix epoch, fixed for the channel's life and the same on every origin.
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

    /// The `Accessibility` descriptors of the caption channels in the video's SEI, for its
    /// AdaptationSet (SCTE 214-1 §7.2.3): the CEA-608 channels (`CC1=eng;CC3=und`: CC1 in
    /// English as in ``PlaylistBuilder/captionsRenditions(_:)``, the others undetermined), then
    /// the CEA-708 services (`1=lang:und`).
    static func captions(_ channels: CaptionChannels) -> [DASHManifest.Descriptor] {
        var descriptors: [DASHManifest.Descriptor] = []
        if !channels.channels608.isEmpty {
            let value = channels.channels608.map { "CC\($0)=\($0 == 1 ? "eng" : LanguageTag.undetermined)" }.joined(separator: ";")
            descriptors.append(DASHManifest.Descriptor(schemeIdUri: DASHManifest.Descriptor.cea608Scheme, value: value))
        }
        if !channels.services708.isEmpty {
            let value = channels.services708.map { "\($0)=lang:\(LanguageTag.undetermined)" }.joined(separator: ";")
            descriptors.append(DASHManifest.Descriptor(schemeIdUri: DASHManifest.Descriptor.cea708Scheme, value: value))
        }
        return descriptors
    }

    /// The live MPD of a channel's listed renditions (video first, then audio, as listed), at
    /// `now` (Unix epoch milliseconds): the window's segments (``Rendition``), a Period per session in it
    /// (see ``periods(_:)``), low-latency.
    static func manifest(
        channel: String, snapshots: [RenditionSnapshot], configuration: PackagerConfiguration, markers: [LiveMarker] = [], now: Int64
    ) -> DASHManifest {
        manifest(channel: channel, renditions: snapshots.map { Rendition($0, configuration: configuration) }, configuration: configuration,
                 type: .dynamic, timeShiftBufferDepth: configuration.window, markers: markers, now: now)
    }

    /// The MPD of `renditions`: dynamic, reaching `timeShiftBufferDepth` behind the live edge,
    /// or static. Renditions whose segments are all numbered (`{msn}.m4s`) are addressed with a
    /// template, and a dynamic MPD of those is low-latency; any archived segment makes the
    /// renditions list their segments.
    static func manifest(
        channel: String, renditions: [Rendition], configuration: PackagerConfiguration, type: DASHManifest.Kind,
        timeShiftBufferDepth: MediaTime, markers: [LiveMarker] = [], now: Int64
    ) -> DASHManifest {
        let longest = renditions.map(\.targetDuration).max() ?? 1
        let numbered = renditions.allSatisfy { $0.segments.allSatisfy { $0.archived == nil } }
        let lowLatency = numbered && type == .dynamic
        let listings = Self.periods(renditions).map { listing in
            zip(renditions, listing).filter { !$0.1.isEmpty }.map { (rendition: $0.0, segments: $0.1) }
        }
        // One timeline's anchors are grouped across Periods too: a rendition that goes on into
        // the next Period keeps the anchor its timeline had.
        let own = listings.map { $0.map { anchor($0.segments, timescale: $0.rendition.timescale) } }
        let everyAnchor = own.flatMap { $0 }.compactMap { $0 }
        let availability = lowLatency ? availabilityTimeOffset(configuration) : nil
        var periods: [DASHManifest.Period] = []
        for (runs, own) in zip(listings, own) {
            let anchors = own.map { $0.map { timelineAnchor($0, among: everyAnchor) } }
            guard let latest = anchors.compactMap({ $0 }).max() else { continue }
            var start = (latest + 999) / 1_000 * 1_000
            if type == .static {
                // Nothing comes before a range: its Period starts with its media (the latest first
                // segment of its renditions), not at a session's start.
                let firsts = zip(runs, anchors).compactMap { run, anchor in
                    anchor.flatMap { anchor in
                        run.segments.first.map { anchor + MediaTime(ticks: $0.startDTS, timescale: run.rendition.timescale).milliseconds }
                    }
                }
                start = max(start, firsts.max() ?? start)
            }
            var sets: [DASHManifest.AdaptationSet] = []
            let listed = Array(zip(runs, anchors))
            let video = listed.filter { $0.0.rendition.source.mediaType == .video }
            let audio = listed.filter { $0.0.rendition.source.mediaType == .audio }
            // Video: one set, its renditions a ladder. Audio: a set per rendition, each an audio
            // programme of its own (a language), the first the main one.
            for (mediaType, group) in [(MediaType.video, video)] + audio.map({ (MediaType.audio, [$0]) }) {
                let representations = group.map { run, anchor in
                    representation(
                        run.rendition, segments: run.segments, channel: channel, offset: anchor.map { start - $0 } ?? 0,
                        numbered: numbered, availabilityTimeOffset: availability)
                }
                guard !representations.isEmpty else { continue }
                let captions = mediaType == .video
                    ? group.compactMap { $0.0.rendition.source.captions }.reduce(CaptionChannels()) { $0.union($1) } : CaptionChannels()
                let first = group.first?.0.rendition.source
                var roles: [DASHManifest.Descriptor] = []
                if mediaType == .audio, audio.count > 1 {
                    let main = first?.name == audio.first?.0.rendition.source.name
                    roles = [DASHManifest.Descriptor(schemeIdUri: DASHManifest.Descriptor.roleScheme, value: main ? "main" : "alternate")]
                }
                sets.append(DASHManifest.AdaptationSet(
                    id: sets.count, contentType: mediaType, language: mediaType == .audio ? first?.language?.value : nil,
                    roles: roles, accessibility: Self.captions(captions), representations: representations))
            }
            periods.append(DASHManifest.Period(id: String(start / 1_000), start: start, adaptationSets: sets))
        }
        addEvents(
            of: LiveMarker.distinct(markers + renditions.flatMap(\.markers)), listed: Set(renditions.flatMap { $0.segments.map(\.msn) }),
            to: &periods)
        var manifest = DASHManifest(
            type: type,
            availabilityStartTime: 0,
            publishTime: now,
            minimumUpdatePeriod: configuration.segmentTarget,
            timeShiftBufferDepth: timeShiftBufferDepth,
            // HOLD-BACK of HLS (RFC 8216bis §4.4.3.8): three target durations.
            suggestedPresentationDelay: MediaTime(ticks: Int64(longest * PlaybackRoutes.segmentsBeforeAnnouncing), timescale: 1),
            minBufferTime: configuration.segmentTarget,
            serviceDescription: lowLatency ? serviceDescription(configuration, longest: longest) : nil,
            utcTiming: clockPath,
            periods: periods)
        if type == .static { manifest.startAtFirstPeriod() }
        return manifest
    }

    /// `availabilityTimeOffset` of the live window (ISO/IEC 23009-1 §5.3.9.5, DASH-IF low-latency
    /// guidelines): a segment is available once its first part is, a segment target less a part
    /// target before its end.
    static func availabilityTimeOffset(_ configuration: PackagerConfiguration) -> MediaTime {
        let segment = configuration.segmentTarget.milliseconds
        let part = configuration.partTarget.milliseconds
        return MediaTime(ticks: max(0, segment - part), timescale: 1_000)
    }

    /// The latency a low-latency player aims at: PART-HOLD-BACK of LL-HLS, three part targets
    /// (RFC 8216bis §4.4.3.8), at least two (its minimum there), at most HOLD-BACK (three target
    /// durations); playback within 4 % of real time to hold it (the DASH-IF reference player's
    /// catch-up range).
    static func serviceDescription(_ configuration: PackagerConfiguration, longest: Int) -> DASHManifest.ServiceDescription {
        let part = configuration.partTarget.milliseconds
        return DASHManifest.ServiceDescription(
            targetLatency: 3 * part, minimumLatency: 2 * part,
            maximumLatency: max(3 * part, Int64(longest * PlaybackRoutes.segmentsBeforeAnnouncing) * 1_000),
            playbackRates: 960...1_040)
    }

    /// What each Period lists of each rendition, Period by Period (`[period][rendition]`): a
    /// Period begins at every segment that starts a session (a discontinuity) in any rendition,
    /// and holds each rendition's segments from there to the next such start. Within a
    /// Period, a rendition lists its segments from its last change of init segment on (earlier
    /// ones would need a Representation of their own), less any gaps they start with (a gap has no
    /// start time of its own). Gaps further on stay listed, so that numbers and times go on; their
    /// URLs answer 404, as their HLS EXT-X-GAP says. A rendition with nothing to list in a Period
    /// is left out of it.
    static func periods(_ renditions: [Rendition]) -> [[ArraySlice<Segment>]] {
        let starts = Set(renditions.flatMap { $0.segments.filter(\.discontinuity).map(\.msn) }).sorted()
        let bounds = zip([Int.min] + starts, starts + [Int.max])
        return bounds.map { lower, upper in
            renditions.map { rendition in
                var listed = ArraySlice(rendition.segments.filter { $0.msn >= lower && $0.msn < upper })
                if !listed.isEmpty {
                    var first = listed.endIndex - 1
                    while first > listed.startIndex, listed[first - 1].sharesMap(with: listed[first]),
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
    private static func anchor(_ segments: ArraySlice<Segment>, timescale: UInt32) -> Int64? {
        segments.first.map { $0.programDateTime - MediaTime(ticks: $0.startDTS, timescale: timescale).milliseconds }
    }

    private static func representation(
        _ rendition: Rendition, segments: ArraySlice<Segment>, channel: String, offset: Int64, numbered: Bool,
        availabilityTimeOffset: MediaTime?
    ) -> DASHManifest.Representation {
        let source = rendition.source
        let timescale = rendition.timescale
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
        let base = "../../hls/\(channel)/\(source.name)/"
        // The newest segment's init segment: the live window's, where the Period reaches it.
        let map = segments.last?.map ?? "init.mp4"
        return DASHManifest.Representation(
            id: source.name,
            codecs: source.codecs,
            bandwidth: source.peakBitrate,
            width: source.resolution?.width,
            height: source.resolution?.height,
            frameRate: source.frameRate,
            // The timescale of an audio track is its sample rate.
            audioSamplingRate: source.mediaType == .audio ? Int(timescale) : nil,
            audioChannels: source.channels,
            segments: DASHManifest.SegmentTemplate(
                timescale: timescale,
                presentationTimeOffset: MediaTime(ticks: max(0, offset), timescale: 1_000).rescaled(to: timescale).ticks,
                startNumber: segments.first?.msn ?? 0,
                initialization: base + map,
                media: numbered ? .template(base + "$Number$.m4s") : .list(segments.map { base + $0.file }),
                timeline: timeline,
                availabilityTimeOffset: availabilityTimeOffset))
    }
}
