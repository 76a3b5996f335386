import Archive
import Manifests
import MediaCore
import Packager

/// Turns live-window snapshots into HLS playlists (RFC 8216bis §4.4).
enum PlaylistBuilder {
    /// The audio rendition group shared by every video variant.
    static let audioGroup = "audio"

    /// EXT-X-TARGETDURATION in whole seconds: the segment target, or the longest segment ever cut
    /// if an encoder's key frames were further apart. It only grows, as §4.4.3.1 requires.
    static func targetDuration(_ snapshot: RenditionSnapshot, _ configuration: PackagerConfiguration) -> Int {
        let target = configuration.segmentTarget.rescaled(to: snapshot.track.timescale).ticks
        let longest = max(target, snapshot.longestSegment)
        let timescale = Int64(snapshot.track.timescale)
        return Int((longest + timescale / 2) / timescale)
    }

    /// A rendition whose publisher left a window ago is over: its playlist gets EXT-X-ENDLIST.
    static func hasEnded(_ snapshot: RenditionSnapshot, _ configuration: PackagerConfiguration, now: Int64) -> Bool {
        !snapshot.isLive && (snapshot.endedAt.map { now - $0 > configuration.window.milliseconds } ?? false)
    }

    static func media(
        _ snapshot: RenditionSnapshot,
        siblings: [RenditionSnapshot],
        configuration: PackagerConfiguration,
        deltaUpdate: Bool,
        archived: [SegmentRecord] = [],
        playlistType: MediaPlaylist.PlaylistType? = nil,
        encryption: ContentEncryption? = nil,
        markers: [LiveMarker] = [],
        query: URIQuery? = nil,
        now: Int64
    ) -> String {
        let timescale = snapshot.track.timescale
        let target = max(targetDuration(snapshot, configuration), archived.map { Int(($0.duration + Int64($0.timescale) / 2) / Int64($0.timescale)) }.max() ?? 0)
        let targetTime = MediaTime(ticks: Int64(target), timescale: 1)
        let ended = hasEnded(snapshot, configuration, now: now)
        let partTarget = configuration.partTarget

        var segments = archived.map { archivedSegment($0, encryption: encryption) }
        var inProgress: MediaPlaylist.InProgressSegment?
        let listed: [(msn: Int, programDateTime: Int64)] =
            archived.map { (msn: $0.msn, programDateTime: $0.programDateTime) }
            + snapshot.segments.map { (msn: $0.msn, programDateTime: $0.programDateTime) }
        let ranges = dateRanges(LiveMarker.distinct(markers + archived.flatMap(\.markers)), listed: listed)
        for index in segments.indices { segments[index].dateRanges = ranges[archived[index].msn] ?? [] }
        for (index, segment) in snapshot.segments.enumerated() {
            let map = MediaPlaylist.Map(uri: snapshot.mapURIs[segment.mapIndex])
            let parts = segment.parts.map {
                MediaPlaylist.Part(
                    uri: "\(segment.msn).\($0.index).m4s",
                    duration: MediaTime(ticks: $0.duration, timescale: timescale),
                    independent: $0.independent
                )
            }
            // Where the archive ends and the window begins, the media may come from another session.
            let discontinuity = segment.discontinuity || (index == 0 && archived.last.map { !continues($0, into: segment) } ?? false)
            if segment.isComplete {
                segments.append(MediaPlaylist.Segment(
                    uri: "\(segment.msn).m4s",
                    duration: MediaTime(ticks: segment.duration, timescale: timescale),
                    discontinuity: discontinuity,
                    map: map,
                    programDateTime: segment.programDateTime,
                    parts: ended ? [] : parts,
                    gap: segment.gap,
                    key: encryption?.playlistKey(msn: segment.msn)
                ))
                segments[segments.count - 1].dateRanges = ranges[segment.msn] ?? []
            } else if !ended {
                inProgress = MediaPlaylist.InProgressSegment(
                    discontinuity: discontinuity,
                    map: map,
                    programDateTime: segment.programDateTime,
                    parts: parts,
                    key: encryption?.playlistKey(msn: segment.msn)
                )
                inProgress?.dateRanges = ranges[segment.msn] ?? []
            }
        }

        // The part to come (RFC 8216bis §4.4.5.3): the next of the segment in progress, or the
        // next segment's first once that segment holds its target duration (its key frame is due:
        // with whole parts, a segment that ends on time has no part after those).
        var preloadHint: MediaPlaylist.PreloadHint?
        if snapshot.isLive, let last = snapshot.segments.last {
            let full = last.parts.reduce(0) { $0 + $1.duration } >= configuration.segmentTarget.rescaled(to: timescale).ticks
            let next = last.isComplete || full ? "\(last.msn + 1).0.m4s" : "\(last.msn).\(last.parts.count).m4s"
            preloadHint = MediaPlaylist.PreloadHint(type: .part, uri: next)
        }

        let canSkipUntil = MediaTime(ticks: Int64(target) * 6, timescale: 1)
        var playlist = MediaPlaylist(
            version: MediaPlaylist.skipMinimumVersion,
            targetDuration: target,
            mediaSequence: Int64(archived.first?.msn ?? snapshot.segments.first?.msn ?? 0),
            discontinuitySequence: Int64(discontinuitySequence(snapshot, archived: archived)),
            playlistType: playlistType,
            independentSegments: true,
            partTarget: ended ? nil : partTarget,
            serverControl: ended ? nil : MediaPlaylist.ServerControl(
                canBlockReload: true,
                canSkipUntil: canSkipUntil,
                holdBack: MediaTime(ticks: targetTime.ticks * 3, timescale: 1),
                partHoldBack: MediaTime(ticks: partTarget.ticks * 3, timescale: partTarget.timescale)
            ),
            segments: segments,
            inProgressSegment: inProgress,
            preloadHint: preloadHint,
            renditionReports: ended ? [] : siblings.compactMap(renditionReport),
            endList: ended
        ).removingStaleParts()
        if deltaUpdate && !ended { playlist = playlist.deltaUpdate(canSkipUntil: canSkipUntil) }
        return playlist.render(query: query)
    }

    /// A playlist of archived segments only: a catch-up range (VOD, ended), or a start-over of a
    /// channel that is not live. Breaks in the numbering or the timeline (a reconnect, a segment
    /// the archive lost) are discontinuities. The markers archived with the segments are listed as
    /// the live playlist listed them (``dateRanges(_:listed:)``).
    static func archived(_ records: [SegmentRecord], ended: Bool, encryption: ContentEncryption? = nil, query: URIQuery? = nil) -> String {
        var segments: [MediaPlaylist.Segment] = []
        segments.reserveCapacity(records.count)
        var previous: SegmentRecord?
        let ranges = dateRanges(
            LiveMarker.distinct(records.flatMap(\.markers)), listed: records.map { (msn: $0.msn, programDateTime: $0.programDateTime) })
        for record in records {
            var segment = archivedSegment(record, encryption: encryption)
            segment.dateRanges = ranges[record.msn] ?? []
            if let previous { segment.discontinuity = record.discontinuity || !follows(record, previous) }
            segments.append(segment)
            previous = record
        }
        let target = records.map { Int(($0.duration + Int64($0.timescale) / 2) / Int64($0.timescale)) }.max() ?? 1
        return MediaPlaylist(
            version: MediaPlaylist.skipMinimumVersion,
            targetDuration: max(1, target),
            mediaSequence: Int64(records.first?.msn ?? 0),
            playlistType: ended ? .vod : .event,
            independentSegments: true,
            segments: segments,
            endList: ended
        ).render(query: query)
    }

    /// Whether `record` continues `previous` in one session: the next number, the same timeline.
    private static func follows(_ record: SegmentRecord, _ previous: SegmentRecord) -> Bool {
        record.timescale == previous.timescale && isNext(msn: record.msn, startDTS: record.startDTS, after: previous)
    }

    /// The segment after `record` in the same session: the next number, starting where it ends
    /// (within a tenth of a second).
    private static func isNext(msn: Int, startDTS: Int64, after record: SegmentRecord) -> Bool {
        msn == record.msn + 1 && abs(startDTS - (record.startDTS + record.duration)) <= Int64(record.timescale) / 10
    }

    /// An archived segment as listed in a DVR playlist: served from `archive/`.
    private static func archivedSegment(_ record: SegmentRecord, encryption: ContentEncryption?) -> MediaPlaylist.Segment {
        MediaPlaylist.Segment(
            uri: ArchiveURI.segment(record),
            duration: MediaTime(ticks: record.duration, timescale: record.timescale),
            discontinuity: record.discontinuity,
            map: MediaPlaylist.Map(uri: ArchiveURI.initSegment(record.initID)),
            programDateTime: record.programDateTime,
            parts: [],
            gap: record.gap,
            key: encryption?.playlistKey(msn: record.msn)
        )
    }

    /// Whether the live window's first segment follows the last archived one in the same session.
    private static func continues(_ record: SegmentRecord, into segment: LiveSegment) -> Bool {
        isNext(msn: segment.msn, startDTS: segment.startDTS, after: record)
    }

    /// EXT-X-DISCONTINUITY-SEQUENCE of a playlist that starts `archived.count` segments before the
    /// window: the window's, less the discontinuities listed from the second segment on.
    private static func discontinuitySequence(_ snapshot: RenditionSnapshot, archived: [SegmentRecord]) -> Int {
        guard !archived.isEmpty else { return snapshot.discontinuitySequence }
        var tags = archived.dropFirst().filter(\.discontinuity).count
        if let first = snapshot.segments.first, first.discontinuity || !continues(archived[archived.count - 1], into: first) {
            tags += 1
        }
        return max(0, snapshot.discontinuitySequence - tags)
    }

    /// EXT-X-RENDITION-REPORT for a sibling: its last segment and last part (§4.4.5.4).
    private static func renditionReport(_ sibling: RenditionSnapshot) -> MediaPlaylist.RenditionReport? {
        guard let last = sibling.segments.last else { return nil }
        let uri = "../\(sibling.name)/index.m3u8"
        if let part = sibling.lastPart { return MediaPlaylist.RenditionReport(uri: uri, lastMSN: Int64(part.msn), lastPart: part.index) }
        return MediaPlaylist.RenditionReport(uri: uri, lastMSN: Int64(last.msn))
    }

    /// What the multivariant playlist says of one rendition, live or archived.
    struct VariantSource {
        var name: String
        var mediaType: MediaType
        var codecs: String
        var resolution: MultivariantPlaylist.Resolution?
        var frameRate: Rational?
        var channels: Int?
        /// The audio's language, when its input stated one, as manifests write it
        /// (``LanguageTag/shortest``: `fr` for `fra`).
        var language: LanguageTag?
        var peakBitrate: Int
        var averageBitrate: Int
        /// The caption channels its video carries; nil when not known (archived renditions).
        var captions: CaptionChannels?

        init(_ snapshot: RenditionSnapshot) {
            name = snapshot.name
            mediaType = snapshot.track.mediaType
            codecs = snapshot.track.codecString
            resolution = snapshot.track.video.map { MultivariantPlaylist.Resolution(width: $0.width, height: $0.height) }
            frameRate = snapshot.track.video?.frameRate
            channels = snapshot.track.audio?.channelCount
            language = snapshot.track.language?.shortest
            peakBitrate = snapshot.peakBitrate
            averageBitrate = snapshot.averageBitrate
            captions = snapshot.captions
        }

        init(name: String, descriptor: RenditionDescriptor, peakBitrate: Int, averageBitrate: Int) {
            self.name = name
            mediaType = descriptor.mediaType
            codecs = descriptor.codecs
            if let width = descriptor.width, let height = descriptor.height {
                resolution = MultivariantPlaylist.Resolution(width: width, height: height)
            }
            frameRate = descriptor.frameRate
            channels = descriptor.channels
            language = descriptor.languageTag?.shortest
            self.peakBitrate = peakBitrate
            self.averageBitrate = averageBitrate
        }
    }

    static func multivariant(_ snapshots: [RenditionSnapshot], audioOnlyVariant: Bool = false, query: URIQuery? = nil) -> String {
        multivariant(snapshots.map(VariantSource.init), audioOnlyVariant: audioOnlyVariant, query: query)
    }

    /// The `NAME` of each audio rendition, unique in the group as RFC 8216bis §4.4.6.1.1
    /// requires: its language tag where it has one that no other rendition of the group has (a
    /// player shows it in the viewer's words), else the rendition's name.
    static func audioNames(_ audio: [VariantSource]) -> [String] {
        let languages = audio.compactMap(\.language)
        return audio.map { source in
            guard let language = source.language, languages.filter({ $0 == language }).count == 1,
                  !audio.contains(where: { $0.name == language.value }) else { return source.name }
            return language.value
        }
    }

    /// The `GROUP-ID` of the captions carried in the video (RFC 8216bis §4.4.6.1).
    static let captionsGroup = "cc"

    /// The captions renditions of `channels`: one per channel, its name the `INSTREAM-ID`, the
    /// first the default. CC1 is in English, as the encoders in use carry it (a CEA-608 channel
    /// has no field to state its language); the others are named by their channel and say no
    /// language.
    static func captionsRenditions(_ channels: CaptionChannels) -> [MultivariantPlaylist.Rendition] {
        channels.instreamIDs.enumerated().map { index, id in
            let english = id == "CC1"
            return MultivariantPlaylist.Rendition(
                type: .closedCaptions, groupID: captionsGroup, name: english ? "English" : id, language: english ? "en" : nil,
                isDefault: index == 0, autoselect: true, instreamID: id)
        }
    }

    /// The multivariant playlist: one variant per video rendition, all sharing the audio group
    /// (one rendition per audio track: per language, the first the default, each with its
    /// `LANGUAGE` where known), and
    /// the audio group alone as an audio-only variant when asked for (or when there is no video).
    /// Variants whose video carries captions reference the captions group; when none does (and
    /// that is known of every one), every variant says `CLOSED-CAPTIONS=NONE` (RFC 8216bis
    /// §4.4.6.2), so that a client does not look for captions in the video.
    /// `uriPrefix` goes before each media playlist's `{rendition}/index.m3u8`, `query` after it.
    static func multivariant(
        _ sources: [VariantSource], audioOnlyVariant: Bool = false, uriPrefix: String = "", query: URIQuery? = nil
    ) -> String {
        let audio = sources.filter { $0.mediaType == .audio }
        let video = sources.filter { $0.mediaType == .video }
        let names = audioNames(audio)
        let renditions = audio.enumerated().map { index, source in
            MultivariantPlaylist.Rendition(
                type: .audio,
                groupID: audioGroup,
                name: names[index],
                language: source.language?.value,
                isDefault: index == 0,
                autoselect: true,
                channels: source.channels.map(String.init),
                uri: "\(uriPrefix)\(source.name)/index.m3u8"
            )
        }
        let captions = video.compactMap(\.captions).reduce(CaptionChannels()) { $0.union($1) }
        let noCaptions: MultivariantPlaylist.ClosedCaptions? = video.allSatisfy { $0.captions?.isEmpty == true } ? .notCarried : nil
        let audioPeak = audio.map(\.peakBitrate).max() ?? 0
        let audioAverage = audio.map(\.averageBitrate).max() ?? 0
        // A variant lists the codecs of every rendition it may play (§4.4.6.2): each audio
        // codec of the group once, in the group's order.
        let audioCodecs = audio.map(\.codecs).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var variants = video.map { source in
            MultivariantPlaylist.Variant(
                bandwidth: source.peakBitrate + audioPeak,
                averageBandwidth: source.averageBitrate + audioAverage,
                codecs: [source.codecs] + audioCodecs,
                resolution: source.resolution,
                frameRate: source.frameRate,
                audioGroup: audio.isEmpty ? nil : audioGroup,
                closedCaptions: source.captions?.isEmpty == false ? .group(captionsGroup) : noCaptions,
                uri: "\(uriPrefix)\(source.name)/index.m3u8"
            )
        }
        if video.isEmpty || audioOnlyVariant, let first = audio.first {
            variants.append(MultivariantPlaylist.Variant(
                bandwidth: audioPeak,
                averageBandwidth: audioAverage,
                codecs: [first.codecs],
                audioGroup: audioGroup,
                closedCaptions: noCaptions,
                uri: "\(uriPrefix)\(first.name)/index.m3u8"
            ))
        }
        return MultivariantPlaylist(
            version: MediaPlaylist.skipMinimumVersion, independentSegments: true,
            renditions: renditions + captionsRenditions(captions), variants: variants)
            .render(query: query)
    }
}
