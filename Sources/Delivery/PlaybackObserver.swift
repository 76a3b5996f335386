import HTTPTypes

/// Told of every playback response once it is written (by ``PlaybackHandler``, the one path every
/// playback request takes): for access logs and metrics. Called on the connection's event loop; it
/// must return quickly and never block.
public protocol PlaybackObserver: Sendable {
    func responded(_ event: PlaybackEvent)
}

/// One playback response, as a log line or a metric sees it.
public struct PlaybackEvent: Sendable, Hashable {
    public var method: HTTPRequest.Method
    public var kind: PlaybackRouteKind
    /// A media playlist request that asked to be held until a part exists (`_HLS_msn`, RFC 8216bis
    /// §6.2.5.2): a blocking playlist reload.
    public var blockingReload: Bool
    public var status: HTTPResponse.Status
    /// Content-Length: the body's bytes (of the range asked for; none written for HEAD).
    public var bytes: Int
    /// From the request's head to its response handed to the connection.
    public var duration: Duration
    /// The live channel the path names (`hls/{channel}/…`, `dash/{channel}/…`); nil for
    /// recordings, clips and paths no route serves.
    public var channel: String?
    /// The rendition a rendition file's path names (`hls/{channel}/{rendition}/…`).
    public var rendition: String?
    /// Who asked: the first address of `X-Forwarded-For` (set by a proxy in front) or the peer's.
    public var client: String?
    public var userAgent: String?
    /// The playback token the request carried (`?token=`), if any. Never log it.
    public var token: String?

    public init(
        method: HTTPRequest.Method, kind: PlaybackRouteKind, blockingReload: Bool = false, status: HTTPResponse.Status, bytes: Int,
        duration: Duration, channel: String? = nil, rendition: String? = nil, client: String? = nil, userAgent: String? = nil,
        token: String? = nil
    ) {
        self.method = method
        self.kind = kind
        self.blockingReload = blockingReload
        self.status = status
        self.bytes = bytes
        self.duration = duration
        self.channel = channel
        self.rendition = rendition
        self.client = client
        self.userAgent = userAgent
        self.token = token
    }
}

extension PlaybackEvent {
    /// The response to `request`, from a peer at `peer`.
    init(request: PlaybackRequest, status: HTTPResponse.Status, bytes: Int, duration: Duration, peer: String?) {
        let names = request.names
        let live = names.first == "hls" || names.first == "dash"
        let (channel, rendition): (String?, String?) =
            switch request.kind {
            case .mediaPlaylist, .initSegment, .segment, .part, .archive: (names[1], names[2])
            case .multivariant, .thumbnail, .dashManifest, .key: (live ? names[1] : nil, nil)
            case .clip, .clock, .other: (nil, nil)
            }
        // An address holds no space: those around the commas go.
        let forwarded = request.headers[Self.forwardedFor].flatMap { $0.split(separator: ",").first?.filter { $0 != " " } }
        self.init(
            method: request.method, kind: request.kind,
            blockingReload: request.kind == .mediaPlaylist && request.query("_HLS_msn") != nil,
            status: status, bytes: bytes, duration: duration, channel: channel, rendition: rendition,
            client: forwarded ?? peer,
            userAgent: request.headers[.userAgent], token: request.query("token"))
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
}
