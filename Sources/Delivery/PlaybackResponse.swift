import HTTPTypes
import Hummingbird
import NIOCore

/// A playback answer: status, headers and a body, of known length or chunked. ``PlaybackHandler`` writes it to
/// the connection; pages served by the router convert it to a Hummingbird `Response`.
struct PlaybackResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: PlaybackBody

    init(status: HTTPResponse.Status, headers: HTTPFields, body: PlaybackBody = .buffers([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Content-Length; 0 for a chunked body.
    var length: Int { body.length }

    /// The same answer for the router.
    var response: Response {
        switch body {
        case .buffers(let buffers):
            return Response(status: status, headers: headers,
                            body: buffers.count == 1 ? ResponseBody(byteBuffer: buffers[0]) : ResponseBody(contentsOf: buffers))
        case .stream(let length, let produce):
            return Response(status: status, headers: headers, body: ResponseBody(contentLength: length) { writer in
                try await produce(0..<length) { try await writer.write($0) }
                try await writer.finish(nil)
            })
        case .chunked(let produce):
            return Response(status: status, headers: headers, body: ResponseBody { writer in
                try await produce { try await writer.write($0) }
                try await writer.finish(nil)
            })
        }
    }
}

/// A response's bytes.
enum PlaybackBody: Sendable {
    /// In memory, in order: one buffer, or a segment's parts. Shared, not copied.
    case buffers([ByteBuffer])
    /// `length` bytes read in pieces while they are sent (a clip from the archive): `produce`
    /// writes the bytes of the range it is given, in order, and throws if it cannot.
    case stream(length: Int, produce: @Sendable (Range<Int>, _ write: (ByteBuffer) async throws -> Void) async throws -> Void)
    /// Bytes whose length is not known until they end (a segment sent while it is written,
    /// ``GrowingSegment``): sent with chunked transfer coding (RFC 9112 §7.1), without
    /// Content-Length, never sliced to a byte range. `produce` writes them in order and throws if
    /// it cannot finish: the answer then ends without its last chunk, and no cache keeps it.
    case chunked(produce: @Sendable (_ write: (ByteBuffer) async throws -> Void) async throws -> Void)

    /// The length; 0 for a chunked body.
    var length: Int {
        switch self {
        case .buffers(let buffers): buffers.reduce(0) { $0 + $1.readableBytes }
        case .stream(let length, _): length
        case .chunked: 0
        }
    }

    /// The bytes of `range` only.
    func slice(_ range: Range<Int>) -> PlaybackBody {
        switch self {
        case .buffers(let buffers):
            return .buffers(RequestedRange(lowerBound: range.lowerBound, upperBound: range.upperBound - 1).slices(of: buffers))
        case .stream(_, let produce):
            return .stream(length: range.count) { asked, write in
                try await produce((range.lowerBound + asked.lowerBound)..<(range.lowerBound + asked.upperBound), write)
            }
        case .chunked:
            // Not offered (no Accept-Ranges): the whole body.
            return self
        }
    }
}

extension PlaybackResponse {
    static let m3u8 = "application/vnd.apple.mpegurl"
    static let mp4 = "video/mp4"
    /// CMAF segments and parts (RFC 8216bis §3.3 allows `video/iso.segment`; `video/mp4` is what
    /// every player accepts).
    static let m4s = "video/mp4"

    static func text(_ status: HTTPResponse.Status, _ body: String, cache: String = CachePolicy.error) -> PlaybackResponse {
        PlaybackResponse(
            status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: cache],
            body: .buffers([ByteBuffer(string: body + "\n")]))
    }

    static func notFound(_ what: String = "not found") -> PlaybackResponse { text(.notFound, what) }
    /// A held answer whose event loop shut down before the live window woke it (held answers are
    /// otherwise only ever succeeded).
    static var stopping: PlaybackResponse { text(.serviceUnavailable, "the server is stopping") }

    /// A playback request of a token channel that may not be served: 401 without a token, 410 for
    /// an expired one (the link was good: get a new one), 403 for any other.
    static func refused(_ refusal: PlaybackRefusal) -> PlaybackResponse {
        switch refusal {
        case .missing:
            var response = text(.unauthorized, "a playback token is required: add ?\(PlaybackAccess.queryName)=… to the URL")
            // RFC 9110 §15.5.2: a 401 names a scheme.
            response.headers[.wwwAuthenticate] = "Token realm=\"playback\""
            return response
        case .expired:
            return text(.gone, "the playback token has expired")
        case .invalid(let reason):
            return text(.forbidden, "invalid playback token (\(reason))")
        }
    }

    /// A playlist rendered for this request, tagged with its hash.
    static func playlist(_ text: String, cache: String) -> PlaybackResponse {
        playlist(ByteBuffer(string: text), etag: EntityTag.of(text), cache: cache)
    }

    /// A shared rendering (``PlaylistTemplate``), tagged with the tag the template made.
    static func playlist(_ template: PlaylistTemplate, token: String?, cache: String) -> PlaybackResponse {
        playlist(template.filled(with: token), etag: template.etag(filledWith: token), cache: cache)
    }

    private static func playlist(_ body: ByteBuffer, etag: String, cache: String) -> PlaybackResponse {
        PlaybackResponse(status: .ok, headers: [.contentType: m3u8, .cacheControl: cache, .eTag: etag], body: .buffers([body]))
    }

    /// Media bytes. `Accept-Ranges` says the answer honours a byte range (``PlaybackRoutes/finish(_:for:)``).
    static func media(_ body: PlaybackBody, contentType: String, cache: String) -> PlaybackResponse {
        PlaybackResponse(status: .ok, headers: [.contentType: contentType, .cacheControl: cache, .acceptRanges: "bytes"], body: body)
    }

    static func media(_ buffers: [ByteBuffer], contentType: String, cache: String) -> PlaybackResponse {
        media(.buffers(buffers), contentType: contentType, cache: cache)
    }

    /// A segment, part or init segment (fMP4, in memory or read from the archive), tagged
    /// (``EntityTag/ofMedia(_:)``) so that a cache can answer its viewers' conditional requests.
    static func fragment(_ buffers: [ByteBuffer], contentType: String = m4s) -> PlaybackResponse {
        var response = media(.buffers(buffers), contentType: contentType, cache: CachePolicy.immutable)
        response.headers[.eTag] = EntityTag.ofMedia(buffers)
        return response
    }
}

extension PlaybackBody {
    var isChunked: Bool {
        if case .chunked = self { true } else { false }
    }
}
