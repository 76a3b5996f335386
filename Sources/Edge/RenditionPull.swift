import Containers
import Logging
import Manifests
import MediaCore
import NIOCore
import Packager

/// Pulls one rendition from the origins into its live window: a blocking playlist reload for the
/// next part (`_HLS_msn`, `_HLS_part`, RFC 8216bis §6.2.5.2), then every new part fetched once, in
/// order, and added to the window, which wakes the viewers' requests held for it. Viewers never
/// cause an origin request for live media: they read the window or wait on it, so however many
/// ask for a part, the origin is asked once.
///
/// A failed or overdue request moves every pull to the next origin (``OriginPool/failover(from:)``)
/// and the pull carries on from the same numbers.
final class RenditionPull {
    let rendition: LiveRendition
    let hints: RenditionHints
    let upstream: ChannelUpstream
    let configuration: PackagerConfiguration
    let limits: EdgeLimits
    let logger: Logger
    let now: @Sendable () -> Int64

    /// The part to fetch next; nil before the first playlist.
    var next: (msn: Int, part: Int)?
    /// The segment open at the edge, with what its parts hold so far.
    var open: (msn: Int, bytes: Int, duration: Int64)?
    /// The init segment in use: its URI at the origin and its movie.
    var map: (uri: String, movie: MP4Track, track: TrackInfo, data: ByteBuffer)?
    /// The origin's playlist has a preload hint: a publisher feeds it.
    var originLive = true
    /// The window has had its first session begun.
    var started = false

    init(rendition: LiveRendition, hints: RenditionHints, upstream: ChannelUpstream, configuration: PackagerConfiguration,
         limits: EdgeLimits, logger: Logger, now: @escaping @Sendable () -> Int64) {
        self.rendition = rendition
        self.hints = hints
        self.upstream = upstream
        self.configuration = configuration
        self.limits = limits
        self.logger = logger
        self.now = now
    }

    /// How far beyond the part it asked for a blocking reload may be answered before the origin
    /// is taken for failed: one part target. The part itself is due within a part target.
    var blockingTimeout: Duration { .milliseconds(2 * configuration.partTarget.milliseconds) }

    /// A request for something that exists: a part, an init segment, a plain reload. Two part
    /// targets, and never less than a second for the connection and the transfer.
    var fetchTimeout: Duration { .milliseconds(max(1_000, 2 * configuration.partTarget.milliseconds)) }

    /// A whole segment (taken when a pull starts, or when its parts are no longer listed): it must
    /// come faster than it plays for the relay to keep up; two segment targets.
    var segmentTimeout: Duration { .milliseconds(2 * configuration.segmentTarget.milliseconds) }

    /// Pulls until cancelled.
    func run() async {
        // Failures in a row: once every origin has failed, pause between tries, not to spin.
        var failures = 0
        while !Task.isCancelled {
            let origin = upstream.pool.index
            do {
                try await round(from: origin)
                failures = 0
            } catch {
                if Task.isCancelled { return }
                logger.debug("pull failed", metadata: ["rendition": "\(hints.name)", "error": "\(error)"])
                upstream.pool.failover(from: origin, because: error)
                failures += 1
                if failures >= upstream.pool.origins.count {
                    try? await Task.sleep(for: .milliseconds(configuration.partTarget.milliseconds / 2))
                }
            }
        }
    }

    /// One playlist from origin `index`, and everything new in it.
    func round(from index: Int) async throws(EdgeError) {
        let blocking = originLive ? next : nil
        let query = blocking.map { "_HLS_msn=\($0.msn)&_HLS_part=\($0.part)" }
        let answer = try await upstream.get(
            "\(hints.name)/index.m3u8", query: query, from: index,
            timeout: blocking == nil ? fetchTimeout : blockingTimeout, limit: limits.playlistBytes)
        // 503: the origin held the reload for three target durations and nothing came.
        guard answer.isOK else { throw answer.status == 503 ? .overdue(url: hints.name) : .status(url: hints.name, code: answer.status) }
        let text = String(buffer: answer.body)
        var playlist = try parse(text)
        if map == nil {
            try await useMap(of: playlist, from: index)
            playlist = try parse(text)
        }
        // Known before the segments it covers are in the window, which the edge lists with it.
        let listed = Self.listed(playlist)
        upstream.encryption = try Self.encryption(of: listed, known: upstream.encryption, rendition: hints.name)
        takeMarkers(of: playlist, listed: listed)
        try await apply(playlist, from: index)
        let live = playlist.preloadHint != nil && !playlist.endList
        if !live, originLive || rendition.snapshot()?.isLive == true { rendition.end(at: now()) }
        originLive = live
        if !live {
            // Nothing to block for: look again in a segment target.
            try? await Task.sleep(for: .milliseconds(configuration.segmentTarget.milliseconds))
        }
    }

    /// The markers the playlist lists, known (like its encryption) before the segments they start
    /// are in the window. Date ranges left out, by the parser or as markers, are logged: the rest
    /// of the playlist stands.
    private func takeMarkers(of playlist: MediaPlaylist, listed: [Listed]) {
        let taken = upstream.markers.take(listed.map { (msn: $0.msn, dateRanges: $0.dateRanges) })
        if playlist.droppedDateRanges > 0 || taken.leftOut > 0 {
            logger.debug("date ranges left out", metadata: [
                "rendition": "\(hints.name)", "unreadable": "\(playlist.droppedDateRanges)", "notMarkers": "\(taken.leftOut)",
                "first": "\(playlist.firstDroppedDateRange.map { "\($0)" } ?? taken.reason ?? "")",
            ])
        }
    }

    func parse(_ text: String) throws(EdgeError) -> MediaPlaylist {
        do {
            return try MediaPlaylist.parse(text, timescale: map?.track.timescale ?? MediaPlaylist.defaultParseTimescale, limits: limits.playlistLimits)
        } catch {
            throw .playlist(url: hints.name, error)
        }
    }

    /// The first map the playlist lists, before its durations can be read in the track's timescale.
    private func useMap(of playlist: MediaPlaylist, from index: Int) async throws(EdgeError) {
        guard let uri = playlist.segments.first?.map?.uri ?? playlist.inProgressSegment?.map?.uri else {
            throw .unusable(url: hints.name, reason: "no EXT-X-MAP")
        }
        try await load(map: uri, from: index)
    }

    /// Fetches and reads the init segment `uri` (`init.mp4`, `init-{n}.mp4`).
    func load(map uri: String, from index: Int) async throws(EdgeError) {
        let file = Self.fileName(uri)
        guard file == "init.mp4" || (file.hasPrefix("init-") && file.hasSuffix(".mp4") && file.dropFirst(5).dropLast(4).allSatisfy(\.isASCIIDigit)
                                     && file.count <= 24) else {
            throw .unusable(url: hints.name, reason: "map \(file) is not an init segment's name")
        }
        let data = try await fetch(file, from: index, timeout: fetchTimeout, limit: limits.initBytes)
        let movie: MP4Track
        do {
            movie = try FMP4Reader.track(initSegment: data)
        } catch {
            throw .media(url: "\(hints.name)/\(file)", error)
        }
        map = (file, movie, try hints.track(movie), data)
    }

    /// `{rendition}/{file}` from origin `index`: it must exist.
    func fetch(_ file: String, from index: Int, timeout: Duration, limit: Int) async throws(EdgeError) -> ByteBuffer {
        let answer = try await upstream.get("\(hints.name)/\(file)", from: index, timeout: timeout, limit: limit)
        guard answer.isOK else { throw .status(url: "\(hints.name)/\(file)", code: answer.status) }
        return answer.body
    }

    /// A URI's file name: what precedes its query.
    static func fileName(_ uri: String) -> String { String(uri.prefix { $0 != "?" }) }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
