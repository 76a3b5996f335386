import Archive
import Manifests

/// Catch-up (`?start=&end=`), start-over of a channel that is not live, recordings and clips:
/// playlists made from the archive alone, for every rendition it holds.
extension PlaybackRoutes {
    /// Most segments one archive playlist lists: a day of 2 s segments. Longer ranges are refused
    /// rather than rendered into playlists no player loads.
    static let maximumArchivedSegments = 43_200

    /// The multivariant playlist of an archived range: a variant per rendition with segments in
    /// it, described by its init segment's descriptor and measured over the range.
    func archivedMultivariant(channel: String, range: ArchiveRange, grant: PlaybackGrant, uriPrefix: String = "") async -> PlaybackResponse {
        let sources: [PlaylistBuilder.VariantSource]
        do {
            sources = try await archivedRenditions(channel: channel, range: range).map(\.source)
        } catch {
            return Self.archiveFailure(error)
        }
        guard !sources.isEmpty else { return .notFound("nothing archived in that range") }
        // Audio-only variant when the live channel offers one: the archive does not say, so offer
        // it whenever there is audio but no video.
        let text = PlaylistBuilder.multivariant(sources, uriPrefix: uriPrefix, query: grant.query(after: URIQuery(range.query)))
        let cache = range.end == nil ? CachePolicy.multivariant : CachePolicy.archivePlaylist
        return .playlist(text, cache: grant.playlistCache(cache))
    }

    /// A rendition's media playlist of an archived range: VOD once the range has ended, an EVENT
    /// playlist that grows while it follows a channel (without the live window's parts).
    func archivedMediaPlaylist(channel: String, rendition: String, range: ArchiveRange, grant: PlaybackGrant) async -> PlaybackResponse {
        let records: [SegmentRecord]
        do {
            records = try await archivedRecords(channel: channel, rendition: rendition, range: range)
        } catch {
            return Self.archiveFailure(error)
        }
        guard !records.isEmpty else { return .notFound("nothing archived in that range") }
        guard records.count <= Self.maximumArchivedSegments else {
            return Self.tooManySegments
        }
        let ended = hasEnded(range, channel: channel)
        let text = PlaylistBuilder.archived(records, ended: ended, encryption: protection.encryption(channel), query: grant.query())
        return .playlist(text, cache: grant.playlistCache(ended ? CachePolicy.archivePlaylist : CachePolicy.livePlaylist))
    }

    /// Whether nothing more will join the range: it ended, or it follows a channel that is not live.
    func hasEnded(_ range: ArchiveRange, channel: String) -> Bool {
        range.end.map { $0 <= now() } ?? !(packagers.channel(named: channel)?.isLive ?? false)
    }

    /// Every rendition with segments archived in the range: described by its newest init segment's
    /// descriptor and measured over the range (gaps left out), with the range's segments, gaps
    /// and all. What an archived multivariant playlist and a static DASH MPD list.
    func archivedRenditions(channel: String, range: ArchiveRange) async throws(ArchiveError) -> [ArchivedRendition] {
        guard let archive else { return [] }
        var found: [ArchivedRendition] = []
        for rendition in try await archive.renditions(channel: channel) {
            let records = try await archivedRecords(channel: channel, rendition: rendition, range: range)
            let media = records.filter { !$0.gap }
            guard let last = media.last,
                  let descriptor = try await archive.descriptor(channel: channel, rendition: rendition, id: last.initID)
            else { continue }
            let milliseconds = max(1, media.reduce(0) { $0 + $1.durationMilliseconds })
            let bytes = media.reduce(0) { $0 + $1.size }
            let peak = media.map { $0.size * 8_000 / max(1, $0.durationMilliseconds) }.max() ?? 0
            let source = PlaylistBuilder.VariantSource(
                name: rendition, descriptor: descriptor, peakBitrate: Int(peak), averageBitrate: Int(bytes * 8_000 / milliseconds))
            found.append(ArchivedRendition(source: source, records: records))
        }
        return found
    }

    /// A rendition of an archived range: how it is described, and its segments.
    struct ArchivedRendition: Sendable {
        var source: PlaylistBuilder.VariantSource
        var records: [SegmentRecord]
    }

    /// The archived segments of a rendition that overlap the range.
    func archivedRecords(channel: String, rendition: String, range: ArchiveRange) async throws(ArchiveError) -> [SegmentRecord] {
        guard let archive else { return [] }
        let now = now()
        return try await archive.records(
            channel: channel, rendition: rendition, from: range.start - ArchiveRange.segmentReach, to: range.end ?? now
        ).filter { range.overlaps(programDateTime: $0.programDateTime, milliseconds: $0.durationMilliseconds, now: now) }
    }

    static func archiveFailure(_ error: ArchiveError) -> PlaybackResponse {
        if case .invalidKey = error { return .notFound() }
        return .text(.serviceUnavailable, "the archive is unavailable")
    }
}
