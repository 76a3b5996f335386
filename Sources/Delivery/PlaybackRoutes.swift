import Archive
import HTTPTypes
import Hummingbird
import Manifests
import NIOCore
import NIOPosix
import MediaCore
import Packager

/// LL-HLS playback: `hls/{channel}/master.m3u8` and, per rendition, `index.m3u8`, init segments,
/// segments and parts (ARCHITECTURE.md, Contracts: Playback). Every route of a `token` channel
/// checks `?token=` first (`PlaybackAccess`), and its playlists hand the token on to every URI.
public struct PlaybackRoutes: Sendable {
    /// The live channels, as the packager (or an edge relay) keeps their windows.
    let packagers: any LiveWindowDirectory
    let access: PlaybackAccess
    let now: @Sendable () -> Int64
    /// The DVR archive, if the server keeps one.
    let archive: ArchiveReader?
    /// Offline channels, recordings and clips.
    let catalog: any PlaybackCatalog
    /// `thumbnail.jpg` of live channels.
    let thumbnails: any ThumbnailSource
    /// Whose timers bound the requests held at the live edge: the loop a request runs on, when it
    /// belongs to this group.
    let timers: any EventLoopGroup
    /// Rendered media playlists, shared by the requests that see the same window.
    let playlists = PlaylistCache()
    /// Told of every response, from the routes and from ``LivePlaybackHandler`` alike.
    let observer: (any PlaybackObserver)?

    /// - Parameter now: wall clock in Unix epoch milliseconds.
    public init(
        packagers: any LiveWindowDirectory, access: PlaybackAccess = .open, archive: ArchiveReader? = nil,
        catalog: any PlaybackCatalog = EmptyPlaybackCatalog(), thumbnails: any ThumbnailSource = NoThumbnails(),
        timers: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, observer: (any PlaybackObserver)? = nil,
        now: @escaping @Sendable () -> Int64
    ) {
        self.observer = observer
        self.packagers = packagers
        self.access = access
        self.archive = archive
        self.catalog = catalog
        self.thumbnails = thumbnails
        self.timers = timers
        self.now = now
    }

    /// The longest `?dvr=` reach back: 14 days, as the longest start-over windows sold.
    public static let maximumDVRSeconds = 14 * 24 * 3600

    /// HOLD-BACK is three target durations (RFC 8216bis §4.4.3.8).
    static let segmentsBeforeAnnouncing = 3

    public func add<Context: RequestContext>(to router: Router<Context>) {
        let hls = group(router, "hls")
            .add(middleware: CORSMiddleware(
                allowOrigin: .all,
                allowHeaders: [.range, .contentType],
                allowMethods: [.get, .head, .options],
                exposedHeaders: ["Content-Length", "Content-Range", "Accept-Ranges"],
                maxAge: .seconds(86_400)
            ))
        hls.get(":channel/master.m3u8") { request, context in
            let channel = try context.parameters.require("channel")
            let (range, refusal) = requestedRange(request)
            if let refusal { return refusal }
            if let range, range.end != nil || packagers.channel(named: channel) == nil {
                return await authorizedArchive(channel, request, context) { await archivedMultivariant(channel: channel, range: range, grant: $0) }
            }
            return await authorized(channel, request, context) { multivariant(channel: channel, request: request, range: range, grant: $0) }
        }
        hls.get(":channel/thumbnail.jpg") { request, context in
            let channel = try context.parameters.require("channel")
            return await authorized(channel, request, context) { _ in await thumbnail(channel: channel, request: request) }
        }
        hls.get(":channel/:rendition/archive/:file") { request, context in
            let channel = try context.parameters.require("channel")
            let rendition = try context.parameters.require("rendition")
            let file = try context.parameters.require("file")
            return await authorizedArchive(channel, request, context) { _ in
                await archivedFile(channel: channel, rendition: rendition, file: file, request: request)
            }
        }
        hls.get(":channel/:rendition/:file") { request, context in
            let channel = try context.parameters.require("channel")
            let rendition = try context.parameters.require("rendition")
            let file = try context.parameters.require("file")
            if file == "index.m3u8", request.uri.queryParameters["start"] != nil {
                let (range, refusal) = requestedRange(request)
                if let refusal { return refusal }
                if let range, range.end != nil || packagers.channel(named: channel)?.listedRendition(named: rendition)?.snapshot() == nil {
                    return await authorizedArchive(channel, request, context) { grant in
                        await archivedMediaPlaylist(channel: channel, rendition: rendition, range: range, grant: grant)
                    }
                }
            }
            return await authorized(channel, request, context) {
                await renditionFile(channel: channel, rendition: rendition, file: file, request: request, grant: $0)
            }
        }
        group(router, "clips").add(middleware: CORSMiddleware(
            allowOrigin: .all, allowHeaders: [.range], allowMethods: [.get, .head, .options],
            exposedHeaders: ["Content-Length", "Content-Range", "Accept-Ranges"]
        )).get(":id") { request, context in
            // `{id}.mp4`; the parameter shares its name with `:id/master.m3u8` below.
            await clipFile(try context.parameters.require("id"), request: request, context: context)
        }
        for (kind, lookup) in [("vod", { @Sendable (id: String) async in await catalog.recording(id: id) }),
                               ("clips", { @Sendable (id: String) async in await catalog.clip(id: id)?.range })] {
            group(router, RouterPath(kind)).add(middleware: CORSMiddleware(allowOrigin: .all, allowMethods: [.get, .head, .options]))
                .get(":id/master.m3u8") { request, context in
                    let id = try context.parameters.require("id")
                    guard id.utf8.count <= Self.maximumIDLength, let range = await lookup(id) else { return Responses.notFound() }
                    return await authorizedArchive(range.channel, request, context) { grant in
                        await archivedMultivariant(
                            channel: range.channel, range: ArchiveRange(start: range.start, end: range.end), grant: grant,
                            uriPrefix: "../../hls/\(range.channel)/")
                    }
                }
        }
    }

    /// A group of playback routes, observed when there is an observer.
    private func group<Context: RequestContext>(_ router: Router<Context>, _ path: RouterPath) -> RouterGroup<Context> {
        let group = router.group(path)
        guard let observer else { return group }
        return group.add(middleware: PlaybackObserverMiddleware(observer: observer))
    }

    /// Longest recording or clip id looked up: a UUID is 36 characters.
    static let maximumIDLength = 64

    /// The request's `start` and `end`: no range, a range, or the 400 to answer.
    private func requestedRange(_ request: Request) -> (range: ArchiveRange?, refusal: Response?) {
        let query = request.uri.queryParameters
        do throws(ArchiveRange.Failure) {
            return (try ArchiveRange.parse(start: query["start"].map(String.init), end: query["end"].map(String.init), now: now()), nil)
        } catch {
            return (nil, Responses.text(.badRequest, error.description))
        }
    }

    /// The live multivariant playlist; a DVR window or a start-over time asked of it carries on to
    /// every media playlist.
    func multivariant(channel: String, request: Request? = nil, range: ArchiveRange? = nil, grant: PlaybackGrant = .open) -> Response {
        guard let packager = packagers.channel(named: channel) else { return Responses.notFound("unknown channel") }
        let snapshots = packager.listedRenditions.compactMap { $0.snapshot() }
        guard snapshots.areAnnounced else {
            return Responses.notFound("channel is offline")
        }
        var query: URIQuery?
        if let request, let dvr = request.uri.queryParameters["dvr"] {
            guard let seconds = Self.dvrSeconds(String(dvr)) else { return Self.badDVR }
            query = URIQuery("dvr=\(seconds)")
        }
        if let range { query = query.appending(URIQuery(range.query)) }
        let text = PlaylistBuilder.multivariant(snapshots, audioOnlyVariant: packager.audioOnlyVariant, query: grant.query(after: query))
        return Responses.playlist(text, cache: grant.playlistCache(CachePolicy.multivariant))
    }

    static func dvrSeconds(_ text: String) -> Int? {
        guard text.count <= 8, let seconds = Int(text), (1...maximumDVRSeconds).contains(seconds) else { return nil }
        return seconds
    }

    static var badDVR: Response {
        Responses.text(.badRequest, "dvr wants whole seconds from 1 to \(maximumDVRSeconds)")
    }

    /// An archived segment or init segment (the `archive/` URIs of DVR playlists).
    func archivedFile(channel: String, rendition: String, file: String, request: Request) async -> Response {
        guard let archive, let parsed = ArchiveURI.parse(file) else { return Responses.notFound() }
        let data: ByteBuffer?
        do {
            switch parsed {
            case .segment(let day, let hour, let name):
                data = try await archive.segment(channel: channel, rendition: rendition, day: day, hour: hour, name: name)
            case .initSegment(let id):
                data = try await archive.initSegment(channel: channel, rendition: rendition, id: id)
            }
        } catch .invalidKey {
            return Responses.notFound()
        } catch {
            return Responses.text(.serviceUnavailable, "the archive is unavailable")
        }
        guard let data else { return Responses.notFound() }
        let contentType = file.hasSuffix(".mp4") ? Responses.mp4 : Responses.m4s
        return Responses.media(data, contentType: contentType, cache: CachePolicy.immutable, request: request)
    }

    /// A recent key frame of the channel as JPEG: the player's poster and the back-office's preview.
    func thumbnail(channel: String, request: Request) async -> Response {
        guard let packager = packagers.channel(named: channel) else { return Responses.notFound("unknown channel") }
        guard let jpeg = await thumbnails.thumbnail(of: packager) else { return Responses.notFound("no thumbnail yet") }
        return Responses.media(jpeg, contentType: "image/jpeg", cache: CachePolicy.thumbnail, request: request)
    }

    func renditionFile(channel: String, rendition name: String, file: String, request: Request, grant: PlaybackGrant = .open) async -> Response {
        guard let packager = packagers.channel(named: channel) else { return Responses.notFound("unknown channel") }
        guard let rendition = packager.listedRendition(named: name) else { return Responses.notFound("unknown rendition") }
        guard let fileName = MediaFileName(file) else { return Responses.notFound() }
        switch fileName {
        case .playlist:
            return await mediaPlaylist(packager: packager, rendition: rendition, request: request, grant: grant)
        case .initSegment(let index):
            guard let data = rendition.initSegment(index: index) else { return Responses.notFound() }
            return Responses.media(data, contentType: Responses.mp4, cache: CachePolicy.immutable, request: request)
        case .segment(let msn):
            return await media(.segment(msn: msn), in: rendition, packager: packager, request: request) {
                rendition.segment(msn: msn)
            }
        case .part(let msn, let index):
            return await media(.part(msn: msn, index: index), in: rendition, packager: packager, request: request) {
                rendition.part(msn: msn, index: index).map { [$0] }
            }
        }
    }

    /// Serves a segment or part, holding the request while it is the next one at the live edge.
    private func media(
        _ target: LiveWindowTarget, in rendition: any LiveRenditionWindow, packager: any LiveChannelWindow, request: Request,
        lookup: () -> [ByteBuffer]?
    ) async -> Response {
        var data = lookup()
        if data == nil, await waitForUpcoming(target, in: rendition, packager: packager) { data = lookup() }
        guard let data else { return Responses.notFound() }
        return Responses.media(data, contentType: Responses.m4s, cache: CachePolicy.immutable, request: request)
    }

    /// A preload-hinted part or the segment at the live edge: hold the request until it exists,
    /// for at most three target durations (RFC 8216bis §6.2.5.3). Anything further ahead is a 404.
    private func waitForUpcoming(
        _ target: LiveWindowTarget, in rendition: any LiveRenditionWindow, packager: any LiveChannelWindow
    ) async -> Bool {
        guard packager.isLive, let snapshot = rendition.snapshot(), let newest = snapshot.segments.last else { return false }
        let msn: Int
        switch target {
        case .segment(let m): msn = m
        case .part(let m, _): msn = m
        }
        guard msn > newest.msn - (newest.isComplete ? 0 : 1), msn <= newest.msn + 1 else { return false }
        return await rendition.wait(for: target, timeout: blockingTimeout(snapshot, packager.configuration), on: timers.any())
    }

    /// RFC 8216bis §6.2.5.2: blocking playlist reload with `_HLS_msn`/`_HLS_part`, and delta updates
    /// with `_HLS_skip`.
    private func mediaPlaylist(
        packager: any LiveChannelWindow, rendition: any LiveRenditionWindow, request: Request, grant: PlaybackGrant
    ) async -> Response {
        let query = request.uri.queryParameters
        let msnText = query["_HLS_msn"].map(String.init)
        let partText = query["_HLS_part"].map(String.init)
        let skip = query["_HLS_skip"].map { $0 == "YES" || $0 == "v2" } ?? false
        var reach: Int64?
        if let text = query["dvr"] {
            guard let seconds = Self.dvrSeconds(String(text)) else { return Self.badDVR }
            reach = now() - Int64(seconds) * 1000
        }
        // Start-over (`start` alone): the archive from then on, ahead of the window (EVENT).
        let (range, refusal) = requestedRange(request)
        if let refusal { return refusal }
        if let range { reach = range.start }
        let startOver = range != nil
        guard var snapshot = rendition.snapshot(), snapshot.lastCompleteMSN != nil else {
            return Responses.notFound("channel is offline")
        }
        var cache = CachePolicy.livePlaylist
        if msnText != nil || partText != nil {
            guard let msnText, let msn = Int(msnText), msn >= 0 else {
                return Responses.text(.badRequest, "_HLS_part needs a valid _HLS_msn")
            }
            let part: Int?
            if let partText {
                guard let p = Int(partText), p >= 0 else { return Responses.text(.badRequest, "invalid _HLS_part") }
                part = p
            } else {
                part = nil
            }
            let last = snapshot.segments.last!.msn
            guard msn <= last + 2 else {
                return Responses.text(.badRequest, "_HLS_msn \(msn) is more than two segments beyond the playlist end (\(last))")
            }
            let target: LiveWindowTarget = part.map { .part(msn: msn, index: $0) } ?? .segment(msn: msn)
            let ready = await rendition.wait(for: target, timeout: blockingTimeout(snapshot, packager.configuration), on: timers.any())
            guard ready, let fresh = rendition.snapshot() else {
                return Responses.text(.serviceUnavailable, "the requested segment or part did not appear within three target durations")
            }
            snapshot = fresh
            cache = CachePolicy.blocking
        }
        guard let reach else {
            return livePlaylist(packager: packager, rendition: rendition, snapshot: snapshot, deltaUpdate: skip, grant: grant, cache: cache).response
        }
        let archived: [SegmentRecord]
        do {
            archived = try await archivedBefore(snapshot, channel: packager.name, from: reach)
        } catch {
            return Responses.text(.serviceUnavailable, "the archive is unavailable")
        }
        let siblings = packager.listedRenditions.filter { $0 !== rendition }.compactMap { $0.snapshot() }
        let text = PlaylistBuilder.media(
            snapshot, siblings: siblings, configuration: packager.configuration, deltaUpdate: skip && !startOver, archived: archived,
            playlistType: startOver ? .event : nil, query: grant.query(), now: now())
        return Responses.playlist(text, cache: grant.playlistCache(cache))
    }

    /// The live media playlist of `snapshot` (the window in memory), rendered once per window and
    /// shared by the requests of a public channel.
    func livePlaylist(
        packager: any LiveChannelWindow, rendition: any LiveRenditionWindow, snapshot: RenditionSnapshot, deltaUpdate: Bool,
        grant: PlaybackGrant, cache: String
    ) -> PlaybackResponse {
        let siblings = packager.listedRenditions.filter { $0 !== rendition }.compactMap { $0.snapshot() }
        let wallClock = now()
        let configuration = packager.configuration
        let key = PlaylistCache.Key(snapshot, siblings: siblings, deltaUpdate: deltaUpdate,
                                    ended: PlaylistBuilder.hasEnded(snapshot, configuration, now: wallClock))
        let render = { (query: URIQuery?) in
            PlaylistBuilder.media(
                snapshot, siblings: siblings, configuration: configuration, deltaUpdate: deltaUpdate, query: query, now: wallClock)
        }
        // A token channel's playlist carries the viewer's token: rendered per request, not shared.
        guard case .open = grant else { return .playlist(ByteBuffer(string: render(grant.query())), cache: grant.playlistCache(cache)) }
        return .playlist(playlists.playlist(for: rendition, key: key) { render(nil) }, cache: cache)
    }

    /// The archived segments that lead up to the window, reaching back to `from` (Unix ms): the
    /// unbroken run of media sequence numbers that ends just before the window's first segment (a
    /// playlist's numbers are consecutive).
    private func archivedBefore(_ snapshot: RenditionSnapshot, channel: String, from: Int64) async throws(ArchiveError) -> [SegmentRecord] {
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

    private func blockingTimeout(_ snapshot: RenditionSnapshot, _ configuration: PackagerConfiguration) -> Duration {
        .seconds(3 * PlaylistBuilder.targetDuration(snapshot, configuration))
    }
}
