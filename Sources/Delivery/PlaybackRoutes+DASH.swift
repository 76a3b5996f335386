import Archive
import Manifests
import MediaCore
import NIOCore
import Packager

/// `dash/{channel}/manifest.mpd`: the live window as a dynamic, low-latency DASH MPD
/// (``DASHBuilder``) over the HLS segment files, with the same access rules as `hls/`: a token
/// channel's MPD is refused without a valid `?token=` and carries it on every segment and init
/// segment URL. Like a media playlist, it is rendered once per window and shared
/// (``PlaylistCache``).
///
/// The same query forms and limits as HLS (README, "DVR, start-over and catch-up"): `?dvr=SECONDS`
/// reaches back into the archive, `?start=` starts over from then and follows the live edge (both
/// dynamic), `?start=&end=` is a catch-up range (static, from the archive alone, also while the
/// channel is offline), as is `vod/{id}/manifest.mpd` for a recording. `dash/time`: the server's
/// clock for the MPD's `UTCTiming`.
extension PlaybackRoutes {
    func dashManifest(channel: String, request: PlaybackRequest) -> PlaybackAnswer {
        let (from, range): (Int64?, ArchiveRange?)
        switch requestedReach(request) {
        case .failure(let refusal): return .now(refusal.response)
        case .success(let asked): (from, range) = asked
        }
        if let range, range.end != nil || packagers.channel(named: channel) == nil {
            return authorizedArchive(channel, request) { await archivedManifest(channel: channel, range: range, grant: $0) }
        }
        if let from {
            return authorized(channel, request) { grant in .later { await dvrManifest(channel: channel, from: from, grant: grant) } }
        }
        return authorized(channel, request) { grant in
            guard let packager = packagers.channel(named: channel) else { return .now(.notFound("unknown channel")) }
            let snapshots = packager.listedRenditions.compactMap { $0.snapshot() }
            guard snapshots.areAnnounced else { return .now(.notFound("channel is offline")) }
            let key = PlaylistCache.Key(manifestOf: snapshots, signed: grant.token != nil)
            let template = playlists.playlist(for: packager, key: key) {
                protected(DASHBuilder.manifest(
                    channel: channel, snapshots: snapshots, configuration: packager.configuration, markers: packager.markers, now: now()),
                    channel: channel).render(query: grant.token.map { _ in PlaybackGrant.token(PlaylistTemplate.hole) }?.query())
            }
            return .now(.mpd(template, token: grant.token, cache: grant.playlistCache(CachePolicy.livePlaylist)))
        }
    }

    /// A DVR window or a start-over of a live channel: the live window with the archived run
    /// that leads up to it from `from` (Unix ms), as HLS's DVR playlists list it
    /// (``archivedBefore(_:channel:from:)``), `timeShiftBufferDepth` reaching back to `from`.
    private func dvrManifest(channel: String, from: Int64, grant: PlaybackGrant) async -> PlaybackResponse {
        guard let packager = packagers.channel(named: channel) else { return .notFound("unknown channel") }
        let snapshots = packager.listedRenditions.compactMap { $0.snapshot() }
        guard snapshots.areAnnounced else { return .notFound("channel is offline") }
        var renditions: [DASHBuilder.Rendition] = []
        do {
            for snapshot in snapshots {
                let archived = try await archivedBefore(snapshot, channel: channel, from: from)
                guard archived.count <= Self.maximumArchivedSegments else { return Self.tooManySegments }
                renditions.append(DASHBuilder.Rendition(snapshot, configuration: packager.configuration, archived: archived))
            }
        } catch {
            return Self.archiveFailure(error)
        }
        let wallClock = now()
        // Whole seconds, at least the live window.
        let depth = max((wallClock - from + 999) / 1_000 * 1_000, packager.configuration.window.milliseconds)
        let text = protected(DASHBuilder.manifest(
            channel: channel, renditions: renditions, configuration: packager.configuration, type: .dynamic,
            timeShiftBufferDepth: MediaTime(ticks: depth, timescale: 1_000), markers: packager.markers, now: wallClock
        ), channel: channel).render(query: grant.query())
        return .mpd(text, cache: grant.playlistCache(CachePolicy.livePlaylist))
    }

    /// A catch-up range, a start-over of a channel that is not live, or a recording: a static MPD
    /// of what the archive holds of every rendition (``archivedRenditions(channel:range:)``, the
    /// lookup of the HLS multivariant playlist).
    func archivedManifest(channel: String, range: ArchiveRange, grant: PlaybackGrant) async -> PlaybackResponse {
        let found: [ArchivedRendition]
        do {
            found = try await archivedRenditions(channel: channel, range: range)
        } catch {
            return Self.archiveFailure(error)
        }
        guard !found.isEmpty else { return .notFound("nothing archived in that range") }
        guard found.allSatisfy({ $0.records.count <= Self.maximumArchivedSegments }) else { return Self.tooManySegments }
        let renditions = found.map { DASHBuilder.Rendition($0.source, records: $0.records) }
        let live = packagers.channel(named: channel)
        let configuration = live?.configuration ?? PackagerConfiguration()
        let text = protected(DASHBuilder.manifest(
            channel: channel, renditions: renditions, configuration: configuration, type: .static,
            timeShiftBufferDepth: configuration.window, markers: live?.markers ?? [], now: now()
        ), channel: channel).render(query: grant.query())
        let ended = hasEnded(range, channel: channel)
        return .mpd(text, cache: grant.playlistCache(ended ? CachePolicy.archivePlaylist : CachePolicy.livePlaylist))
    }

    /// `vod/{id}/manifest.mpd`: a recording's range as a static MPD, as `vod/{id}/master.m3u8`.
    func recordingManifest(id: String, request: PlaybackRequest) -> PlaybackAnswer {
        guard id.utf8.count <= Self.maximumIDLength else { return .now(.notFound()) }
        return .later {
            guard let range = await catalog.recording(id: id) else { return .notFound() }
            return await authorizedArchive(range.channel, request) { grant in
                await archivedManifest(channel: range.channel, range: ArchiveRange(start: range.start, end: range.end), grant: grant)
            }.response()
        }
    }

    static var tooManySegments: PlaybackResponse {
        .text(.badRequest, "the range holds more than \(maximumArchivedSegments) segments: ask for a shorter one")
    }

    /// The wall clock as an ISO 8601 date-time (`urn:mpeg:dash:utc:http-iso:2014`, ISO/IEC
    /// 23009-1 §5.8.5.7), never cached.
    var serverClock: PlaybackResponse {
        PlaybackResponse(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: CachePolicy.perRequest],
            body: .buffers([ByteBuffer(string: DASHManifest.dateTime(now()))]))
    }
}

extension PlaybackResponse {
    /// ISO/IEC 23009-1 Annex C.
    static let dashXML = "application/dash+xml"

    static func mpd(_ template: PlaylistTemplate, token: String?, cache: String) -> PlaybackResponse {
        PlaybackResponse(
            status: .ok, headers: [.contentType: dashXML, .cacheControl: cache, .eTag: template.etag(filledWith: token)],
            body: .buffers([template.filled(with: token)]))
    }

    /// An MPD rendered for this request, tagged with its hash.
    static func mpd(_ text: String, cache: String) -> PlaybackResponse {
        PlaybackResponse(
            status: .ok, headers: [.contentType: dashXML, .cacheControl: cache, .eTag: EntityTag.of(text)],
            body: .buffers([ByteBuffer(string: text)]))
    }
}

extension PlaybackRoutes {
    /// `manifest` with the `ContentProtection` of `channel` when it is encrypted with `cbcs`: the
    /// default key ID of its init segments, and its keys at `hls/{channel}/keys/` (relative to
    /// `dash/{channel}/` and `vod/{id}/` alike) for the Clear Key system, where a player asks
    /// `keys/{period}`, the period being the last 8 bytes of a fragment's key ID
    /// (``ContentEncryption/keyID(channel:period:)``).
    func protected(_ manifest: DASHManifest, channel: String) -> DASHManifest {
        guard let encryption = protection.encryption(channel), encryption.scheme == .cbcs else { return manifest }
        var manifest = manifest
        manifest.contentProtection = DASHManifest.ContentProtection(
            defaultKeyID: ContentEncryption.keyID(channel: channel, period: 0),
            licenseURL: "../../hls/\(channel)/\(ContentEncryption.keysDirectory)/")
        return manifest
    }
}
