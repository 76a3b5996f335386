import Archive
import HTTPTypes
import Logging
import Manifests
import NIOCore
import NIOPosix
import MediaCore
import Packager

/// Playback: LL-HLS under `hls/`, DASH over the same segments under `dash/`, recordings under `vod/`, clips under `clips/` (ARCHITECTURE.md,
/// Contracts: Playback). Every request is answered here, and only here: ``answer(_:)`` decides
/// access (a `token` channel checks `?token=` first, `PlaybackAccess`), status, headers and caching,
/// ``finish(_:for:)`` applies byte ranges and CORS, and ``PlaybackHandler`` writes the answer on
/// the connection's event loop and tells the observer.
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
    /// Rendered media playlists, shared by the requests that see the same window.
    let playlists = PlaylistCache()
    /// Told of every response once it is written.
    let observer: (any PlaybackObserver)?
    /// Answers what needs an archive or a content key, on a server that keeps neither (an edge
    /// relay's origins).
    let upstream: (any PlaybackUpstream)?
    /// Refused requests, at debug level, and failed clip reads.
    let logger: Logger
    /// Encrypted channels: their settings, keys and encrypted objects.
    let protection: ContentProtection

    /// - Parameter now: wall clock in Unix epoch milliseconds.
    public init(
        packagers: any LiveWindowDirectory, access: PlaybackAccess = .open, archive: ArchiveReader? = nil,
        catalog: any PlaybackCatalog = EmptyPlaybackCatalog(), thumbnails: any ThumbnailSource = NoThumbnails(),
        observer: (any PlaybackObserver)? = nil, upstream: (any PlaybackUpstream)? = nil,
        protection: ContentProtection = .none,
        logger: Logger = Logger(label: "antenne.playback") { _ in SwiftLogNoOpLogHandler() },
        now: @escaping @Sendable () -> Int64
    ) {
        self.protection = protection
        self.observer = observer
        self.upstream = upstream
        self.packagers = packagers
        self.access = access
        self.archive = archive
        self.catalog = catalog
        self.thumbnails = thumbnails
        self.logger = logger
        self.now = now
    }

    /// The path prefixes answered here; everything else goes on to the router.
    static let prefixes = ["/hls/", "/vod/", "/clips/", "/dash/"]

    /// Whether `path` is a playback URL.
    static func claims(_ path: Substring) -> Bool {
        prefixes.contains { path.utf8.starts(with: $0.utf8) }
    }

    /// Longer paths are not playback URLs: a prefix, two names and a file name fit in far less.
    static let maximumPath = 512

    /// Longest recording or clip id looked up: a UUID is 36 characters.
    static let maximumIDLength = 64

    /// The longest `?dvr=` reach back: 14 days, as the longest start-over windows sold.
    public static let maximumDVRSeconds = 14 * 24 * 3600

    /// HOLD-BACK is three target durations (RFC 8216bis §4.4.3.8).
    static let segmentsBeforeAnnouncing = 3

    /// The answer to `request`, before ``finish(_:for:)``.
    func answer(_ request: PlaybackRequest) -> PlaybackAnswer {
        if request.method == .options { return .now(Self.preflight) }
        guard request.method == .get || request.method == .head else { return .now(Self.methodNotAllowed) }
        guard request.path.utf8.count <= Self.maximumPath else { return .now(.notFound()) }
        if let upstream, request.needsOrigin {
            return .later { await upstream.forward(request).response }
        }
        // A channel that comes when asked for (an edge relay pulls it): the request waits for it.
        if let channel = request.liveChannel, packagers.channel(named: channel) == nil, let arrival = packagers.arrival(of: channel) {
            return .later {
                await arrival()
                return await route(request).response()
            }
        }
        return route(request)
    }

    private func route(_ request: PlaybackRequest) -> PlaybackAnswer {
        let names = request.names
        // What the path names is told once, by `PlaybackRouteKind` (metrics read the same kind).
        switch request.kind {
        case .multivariant where names[0] == "hls":
            return multivariant(channel: names[1], request: request)
        case .multivariant:
            return archivedMultivariant(kind: names[0], id: names[1], request: request)
        case .thumbnail:
            let channel = names[1]
            return authorized(channel, request) { _ in .later { await thumbnail(channel: channel) } }
        case .mediaPlaylist, .initSegment, .segment, .part:
            return renditionFile(channel: names[1], rendition: names[2], file: names[3], request: request)
        case .archive:
            let (channel, rendition, file) = (names[1], names[2], names[4])
            return authorizedArchive(channel, request) { _ in
                await sealedArchive(
                    archivedFile(channel: channel, rendition: rendition, file: file), channel: channel, rendition: rendition,
                    file: "\(rendition)/\(file)")
            }
        case .key:
            return contentKey(channel: names[1], period: Self.keyPeriod(names[3]) ?? 0, request: request)
        case .dashManifest where names[0] == "vod":
            return recordingManifest(id: names[1], request: request)
        case .dashManifest where protection.encryption(names[1]).map({ $0.scheme == .aes128 }) ?? false:
            // DASH clients know common encryption (`cbcs`), not whole-segment AES-128.
            return .now(.notFound("this channel is encrypted for HLS only (AES-128)"))
        case .dashManifest:
            return dashManifest(channel: names[1], request: request)
        case .clock:
            return .now(serverClock)
        case .clip:
            return clipFile(names[1], request: request)
        case .other:
            return .now(.notFound())
        }
    }

    /// `hls/{channel}/master.m3u8`: the live variants, or a range of the archive (`start` and
    /// `end`, or `start` of a channel that is not live).
    private func multivariant(channel: String, request: PlaybackRequest) -> PlaybackAnswer {
        let range: ArchiveRange?
        switch requestedRange(request) {
        case .failure(let refusal): return .now(refusal.response)
        case .success(let asked): range = asked
        }
        if let range, range.end != nil || packagers.channel(named: channel) == nil {
            return authorizedArchive(channel, request) { await archivedMultivariant(channel: channel, range: range, grant: $0) }
        }
        return authorized(channel, request) { .now(multivariant(channel: channel, request: request, range: range, grant: $0)) }
    }

    /// `vod/{id}/master.m3u8` and `clips/{id}/master.m3u8`: a recording's or a clip's range.
    private func archivedMultivariant(kind: String, id: String, request: PlaybackRequest) -> PlaybackAnswer {
        guard id.utf8.count <= Self.maximumIDLength else { return .now(.notFound()) }
        return .later {
            let found = kind == "vod" ? await catalog.recording(id: id) : await catalog.clip(id: id)?.range
            guard let range = found else { return .notFound() }
            return await authorizedArchive(range.channel, request) { grant in
                await archivedMultivariant(
                    channel: range.channel, range: ArchiveRange(start: range.start, end: range.end), grant: grant,
                    uriPrefix: "../../hls/\(range.channel)/")
            }.response()
        }
    }

    /// The request's `start` and `end`: no range, a range, or the 400 to answer.
    func requestedRange(_ request: PlaybackRequest) -> Result<ArchiveRange?, BadRequest> {
        do throws(ArchiveRange.Failure) {
            return .success(try ArchiveRange.parse(start: request.query("start"), end: request.query("end"), now: now()))
        } catch {
            return .failure(BadRequest(error.description))
        }
    }

    /// A request whose query cannot be served: a 400 that says why.
    struct BadRequest: Error {
        let message: String
        init(_ message: String) { self.message = message }
        var response: PlaybackResponse { .text(.badRequest, message) }
    }

    /// The live multivariant playlist; a DVR window or a start-over time asked of it carries on to
    /// every media playlist.
    func multivariant(channel: String, request: PlaybackRequest, range: ArchiveRange? = nil, grant: PlaybackGrant = .open) -> PlaybackResponse {
        guard let packager = packagers.channel(named: channel) else { return .notFound("unknown channel") }
        let snapshots = packager.listedRenditions.compactMap { $0.snapshot() }
        guard snapshots.areAnnounced else {
            return .notFound("channel is offline")
        }
        var query: URIQuery?
        if let dvr = request.query("dvr") {
            guard let seconds = Self.dvrSeconds(dvr) else { return Self.badDVR.response }
            query = URIQuery("dvr=\(seconds)")
        }
        if let range { query = query.appending(URIQuery(range.query)) }
        let text = PlaylistBuilder.multivariant(snapshots, audioOnlyVariant: packager.audioOnlyVariant, query: grant.query(after: query))
        return .playlist(text, cache: grant.playlistCache(CachePolicy.multivariant))
    }

    static func dvrSeconds(_ text: String) -> Int? {
        guard text.count <= 8, let seconds = Int(text), (1...maximumDVRSeconds).contains(seconds) else { return nil }
        return seconds
    }

    static var badDVR: BadRequest {
        BadRequest("dvr wants whole seconds from 1 to \(maximumDVRSeconds)")
    }

    /// What a media playlist or an MPD asks of the archive: a start-over or catch-up `range`
    /// (`start`[`&end`]), and `from`, the earliest time it reaches back to (the range's start, or
    /// `dvr=SECONDS` before now). A bad value of either is a 400.
    func requestedReach(_ request: PlaybackRequest) -> Result<(from: Int64?, range: ArchiveRange?), BadRequest> {
        var from: Int64?
        if let text = request.query("dvr") {
            guard let seconds = Self.dvrSeconds(text) else { return .failure(Self.badDVR) }
            from = now() - Int64(seconds) * 1000
        }
        return requestedRange(request).map { range in (range?.start ?? from, range) }
    }

    /// An archived segment or init segment (the `archive/` URIs of DVR playlists).
    func archivedFile(channel: String, rendition: String, file: String) async -> PlaybackResponse {
        guard let archive, let parsed = ArchiveURI.parse(file) else { return .notFound() }
        let data: ByteBuffer?
        do throws(ArchiveError) {
            switch parsed {
            case .segment(let day, let hour, let name):
                data = try await archive.segment(channel: channel, rendition: rendition, day: day, hour: hour, name: name)
            case .initSegment(let id):
                data = try await archive.initSegment(channel: channel, rendition: rendition, id: id)
            }
        } catch {
            return Self.archiveFailure(error)
        }
        guard let data else { return .notFound() }
        return .fragment([data], contentType: file.hasSuffix(".mp4") ? PlaybackResponse.mp4 : PlaybackResponse.m4s)
    }

    /// A recent key frame of the channel as JPEG: the player's poster and the back-office's preview.
    func thumbnail(channel: String) async -> PlaybackResponse {
        guard let packager = packagers.channel(named: channel) else { return .notFound("unknown channel") }
        guard let jpeg = await thumbnails.thumbnail(of: packager) else { return .notFound("no thumbnail yet") }
        return .media([jpeg], contentType: "image/jpeg", cache: CachePolicy.thumbnail)
    }
}

/// What the routes give a request: its answer at once, when it is a lookup in memory (nearly every
/// request of a player); the answer once the live window holds what it waits for (a request held at
/// the live edge: a future on the request's own event loop); or the work that ends in it (the
/// archive, the control plane's catalog).
enum PlaybackAnswer: Sendable {
    case now(PlaybackResponse)
    case held(EventLoopFuture<PlaybackAnswer>)
    case later(@Sendable () async -> PlaybackResponse)
}
