import Archive
import Manifests
import NIOCore
import Packager

/// `hls/{channel}/{rendition}/{file}`: a live rendition's playlist and media, held while the part
/// or segment asked for is the next one at the live edge (RFC 8216bis §6.2.5).
extension PlaybackRoutes {
    func renditionFile(channel: String, rendition: String, file: String, request: PlaybackRequest) -> PlaybackAnswer {
        if file == "index.m3u8", request.query("start") != nil {
            switch requestedRange(request) {
            case .failure(let refusal):
                return .now(refusal.response)
            case .success(let range?) where range.end != nil || packagers.channel(named: channel)?.listedRendition(named: rendition)?.snapshot() == nil:
                return authorizedArchive(channel, request) { grant in
                    await archivedMediaPlaylist(channel: channel, rendition: rendition, range: range, grant: grant)
                }
            case .success:
                break
            }
        }
        return authorized(channel, request) { renditionFile(channel: channel, rendition: rendition, file: file, request: request, grant: $0) }
    }

    private func renditionFile(channel: String, rendition name: String, file: String, request: PlaybackRequest, grant: PlaybackGrant) -> PlaybackAnswer {
        guard let packager = packagers.channel(named: channel) else { return .now(.notFound("unknown channel")) }
        guard let rendition = packager.listedRendition(named: name) else { return .now(.notFound("unknown rendition")) }
        guard let fileName = MediaFileName(file) else { return .now(.notFound()) }
        switch fileName {
        case .playlist:
            return mediaPlaylist(packager: packager, rendition: rendition, request: request, grant: grant)
        case .initSegment(let index):
            guard let data = rendition.initSegment(index: index) else { return .now(.notFound()) }
            return .now(sealedInit(data, channel: channel))
        case .segment(let msn):
            let sealing = sealing(channel: channel)
            // An encrypted segment is one AES-128 message (or, under `cbcs`, one object encrypted
            // and cached once), and a HEAD wants the whole length: both wait for the complete
            // segment; anything else is sent as it grows.
            guard sealing != nil || request.method == .head else { return segment(msn, in: rendition, packager: packager, request: request) }
            return media(.segment(msn: msn), in: rendition, packager: packager, request: request, sealing: sealing) {
                rendition.segment(msn: msn)
            }
        case .part(let msn, let index):
            return media(.part(msn: msn, index: index), in: rendition, packager: packager, request: request, sealing: sealing(channel: channel)) {
                rendition.part(msn: msn, index: index).map { [$0] }
            }
        }
    }

    /// A part (or the head of a segment): at once if it exists; held while it is the next one at the live edge
    /// (a preload hint, the segment in progress), for at most three target durations
    /// (RFC 8216bis §6.2.5.3); anything else is a 404.
    private func media(
        _ target: LiveWindowTarget, in rendition: any LiveRenditionWindow, packager: any LiveChannelWindow, request: PlaybackRequest,
        sealing: Sealing?, lookup: @escaping @Sendable () -> [ByteBuffer]?
    ) -> PlaybackAnswer {
        let msn: Int
        let object: String
        switch target {
        case .segment(let m): (msn, object) = (m, "\(m)")
        case .part(let m, let index): (msn, object) = (m, "\(m).\(index)")
        }
        let found = { @Sendable (data: [ByteBuffer]?) -> PlaybackAnswer in
            guard let data else { return .now(.notFound()) }
            guard let sealing else { return .now(.fragment(data)) }
            return sealing.answer(data, msn: msn, object: object, owner: rendition, layout: sealing.layout(of: rendition.track))
        }
        if let data = lookup() { return found(data) }
        guard packager.isLive, let snapshot = rendition.snapshot(), let newest = snapshot.segments.last else { return .now(.notFound()) }
        guard msn > newest.msn - (newest.isComplete ? 0 : 1), msn <= newest.msn + 1 else { return .now(.notFound()) }
        let timeout = blockingTimeout(snapshot, packager.configuration)
        return .held(rendition.ready(for: target, timeout: timeout, on: request.loop).map { $0 ? found(lookup()) : .now(.notFound()) })
    }

    /// The media playlist: the live window, held until a part or segment exists (`_HLS_msn`,
    /// `_HLS_part`, RFC 8216bis §6.2.5.2), as a delta update (`_HLS_skip`), or reaching back into
    /// the archive (`dvr`, or `start` for start-over).
    private func mediaPlaylist(
        packager: any LiveChannelWindow, rendition: any LiveRenditionWindow, request: PlaybackRequest, grant: PlaybackGrant
    ) -> PlaybackAnswer {
        let skip = request.query("_HLS_skip").map { $0 == "YES" || $0 == "v2" } ?? false
        // Start-over (`start` alone): the archive from then on, ahead of the window (EVENT).
        let (from, range): (Int64?, ArchiveRange?)
        switch requestedReach(request) {
        case .failure(let refusal): return .now(refusal.response)
        case .success(let asked): (from, range) = asked
        }
        guard let snapshot = rendition.snapshot(), snapshot.lastCompleteMSN != nil else {
            return .now(.notFound("channel is offline"))
        }
        let target: LiveWindowTarget?
        switch Self.blockingTarget(request, last: snapshot.segments.last!.msn) {
        case .failure(let refusal): return .now(refusal.response)
        case .success(let asked): target = asked
        }
        // The window's playlist, or reaching back into the archive: at once, or once the target exists.
        let playlist = { @Sendable (snapshot: RenditionSnapshot) -> PlaybackAnswer in
            guard let from else {
                return .now(livePlaylist(packager: packager, rendition: rendition, snapshot: snapshot, deltaUpdate: skip, grant: grant))
            }
            return .later {
                let archived: [SegmentRecord]
                do {
                    archived = try await archivedBefore(snapshot, channel: packager.name, from: from)
                } catch {
                    return .text(.serviceUnavailable, "the archive is unavailable")
                }
                let siblings = packager.listedRenditions.filter { $0 !== rendition }.compactMap { $0.snapshot() }
                let text = PlaylistBuilder.media(
                    snapshot, siblings: siblings, configuration: packager.configuration, deltaUpdate: skip && range == nil, archived: archived,
                    playlistType: range != nil ? .event : nil, encryption: encryption(of: packager.name, announcing: snapshot),
                    markers: packager.markers, query: grant.query(), now: now())
                return .playlist(text, cache: grant.playlistCache(CachePolicy.livePlaylist))
            }
        }
        guard let target else { return playlist(snapshot) }
        let timeout = blockingTimeout(snapshot, packager.configuration)
        return .held(rendition.ready(for: target, timeout: timeout, on: request.loop).map { ready in
            guard ready, let fresh = rendition.snapshot() else {
                return .now(.text(.serviceUnavailable, "the requested segment or part did not appear within three target durations"))
            }
            return playlist(fresh)
        })
    }

    /// The part or segment a blocking playlist reload waits for (`_HLS_msn`, `_HLS_part`), nil
    /// for a plain reload, or the 400 to answer. `last` is the newest segment's number.
    static func blockingTarget(_ request: PlaybackRequest, last: Int) -> Result<LiveWindowTarget?, BadRequest> {
        let msnText = request.query("_HLS_msn")
        let partText = request.query("_HLS_part")
        guard msnText != nil || partText != nil else { return .success(nil) }
        guard let msnText, let msn = Int(msnText), msn >= 0 else { return .failure(BadRequest("_HLS_part needs a valid _HLS_msn")) }
        guard msn <= last + 2 else {
            return .failure(BadRequest("_HLS_msn \(msn) is more than two segments beyond the playlist end (\(last))"))
        }
        guard let partText else { return .success(.segment(msn: msn)) }
        guard let part = Int(partText), part >= 0 else { return .failure(BadRequest("invalid _HLS_part")) }
        return .success(.part(msn: msn, index: part))
    }

    /// The live media playlist of `snapshot` (the window in memory), rendered once per window and
    /// shared by every request that sees it; a token channel's viewers each get the shared
    /// rendering filled with their own token.
    func livePlaylist(
        packager: any LiveChannelWindow, rendition: any LiveRenditionWindow, snapshot: RenditionSnapshot, deltaUpdate: Bool,
        grant: PlaybackGrant
    ) -> PlaybackResponse {
        let siblings = packager.listedRenditions.filter { $0 !== rendition }.compactMap { $0.snapshot() }
        let wallClock = now()
        let configuration = packager.configuration
        let encryption = self.encryption(of: packager.name, announcing: snapshot)
        let markers = packager.markers
        let key = PlaylistCache.Key(snapshot, siblings: siblings, deltaUpdate: deltaUpdate,
                                    ended: PlaylistBuilder.hasEnded(snapshot, configuration, now: wallClock), signed: grant.token != nil,
                                    encryption: encryption)
        let template = playlists.playlist(for: rendition, key: key) {
            PlaylistBuilder.media(
                snapshot, siblings: siblings, configuration: configuration, deltaUpdate: deltaUpdate, encryption: encryption,
                markers: markers, query: grant.token.map { _ in PlaybackGrant.token(PlaylistTemplate.hole) }?.query(), now: wallClock)
        }
        return .playlist(template, token: grant.token, cache: grant.playlistCache(CachePolicy.livePlaylist))
    }

    /// The archived segments that lead up to the window, reaching back to `from` (Unix ms): the
    /// unbroken run of media sequence numbers that ends just before the window's first segment (a
    /// playlist's numbers are consecutive).
    func archivedBefore(_ snapshot: RenditionSnapshot, channel: String, from: Int64) async throws(ArchiveError) -> [SegmentRecord] {
        guard let archive, let first = snapshot.segments.first else { return [] }
        let records = try await archive.records(
            channel: channel, rendition: snapshot.name, from: from - ArchiveRange.segmentReach, to: first.programDateTime + 1
        ).filter { $0.programDateTime + $0.durationMilliseconds > from }
        var run: [SegmentRecord] = []
        var expected = first.msn - 1
        for record in records.reversed() where record.msn <= expected {
            guard record.msn == expected else { break }
            run.append(record)
            expected -= 1
        }
        return run.reversed()
    }

    func blockingTimeout(_ snapshot: RenditionSnapshot, _ configuration: PackagerConfiguration) -> Duration {
        .seconds(3 * PlaylistBuilder.targetDuration(snapshot, configuration))
    }
}
