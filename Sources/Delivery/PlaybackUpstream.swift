import HTTPTypes
import NIOCore

/// Where a server that keeps no archive and no content keys of its own (an edge relay) sends the
/// requests that need them: DVR and start-over playlists, catch-up ranges, recordings, clips,
/// archived segments and the keys of encrypted channels. Its origin answers them, tokens and all;
/// the answer is passed on as it comes.
public protocol PlaybackUpstream: Sendable {
    func forward(_ request: PlaybackRequest) async -> PlaybackUpstreamResponse
}

/// An upstream's answer, as passed on to the viewer.
public struct PlaybackUpstreamResponse: Sendable {
    public var status: HTTPResponse.Status
    public var contentType: String?
    public var cacheControl: String?
    public var body: ByteBuffer

    public init(status: HTTPResponse.Status, contentType: String?, cacheControl: String?, body: ByteBuffer) {
        self.status = status
        self.contentType = contentType
        self.cacheControl = cacheControl
        self.body = body
    }

    var response: PlaybackResponse {
        var headers = HTTPFields()
        if let contentType { headers[.contentType] = contentType }
        headers[.cacheControl] = cacheControl ?? CachePolicy.error
        return PlaybackResponse(status: status, headers: headers, body: .buffers([body]))
    }
}

extension PlaybackRequest {
    /// The request needs what only an origin has: the archive (an archived file, a recording or a
    /// clip, or a playlist that reaches back into the archive: `dvr`, `start`, `end`) or a content
    /// key (`keys/{period}`).
    public var needsOrigin: Bool {
        switch kind {
        case .archive, .clip, .key:
            return true
        case .multivariant where names.first != "hls":
            return true
        case .dashManifest where names.first != "dash":
            return true
        case .multivariant, .mediaPlaylist, .dashManifest:
            return query("dvr") != nil || query("start") != nil || query("end") != nil
        default:
            return false
        }
    }

    /// The channel of a live playback URL (`hls/{channel}/…`, `dash/{channel}/…`), nil for others.
    var liveChannel: String? {
        guard names.count >= 3, names[0] == "hls" || names[0] == "dash", kind != .archive, kind != .other else { return nil }
        return names[1]
    }
}
