import HTTPTypes
import Hummingbird
import NIOCore

/// Response builders shared by the playback routes.
enum Responses {
    static let m3u8 = "application/vnd.apple.mpegurl"
    static let mp4 = "video/mp4"
    /// CMAF segments and parts (RFC 8216bis §3.3 allows `video/iso.segment`; `video/mp4` is what
    /// every player accepts).
    static let m4s = "video/mp4"
    static let html = "text/html; charset=utf-8"

    static func text(_ status: HTTPResponse.Status, _ body: String, cache: String = CachePolicy.error) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: cache],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body + "\n"))
        )
    }

    static func notFound(_ what: String = "not found") -> Response { text(.notFound, what) }

    /// A playback request of a token channel that may not be served: 401 without a token, 410 for
    /// an expired one (the link was good: get a new one), 403 for any other.
    static func refused(_ refusal: PlaybackRefusal) -> Response {
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

    static func playlist(_ text: String, cache: String) -> Response {
        playlist(ByteBuffer(string: text), cache: cache)
    }

    static func playlist(_ body: ByteBuffer, cache: String) -> Response {
        PlaybackResponse.playlist(body, cache: cache).response
    }

    /// Media bytes, honouring a single byte range (RFC 9110 §14). The buffer is shared, not copied.
    static func media(_ buffer: ByteBuffer, contentType: String, cache: String, request: Request) -> Response {
        media([buffer], contentType: contentType, cache: cache, request: request)
    }

    /// Media bytes in pieces (a segment's parts), written one after the other, honouring a single
    /// byte range (RFC 9110 §14). The buffers are shared, not copied.
    static func media(_ buffers: [ByteBuffer], contentType: String, cache: String, request: Request) -> Response {
        let whole = PlaybackResponse.media(buffers, contentType: contentType, cache: cache)
        var headers = whole.headers
        let length = whole.length
        switch RequestedRange.resolve(header: request.headers[.range], length: length) {
        case .whole:
            return whole.response
        case .partial(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(length)"
            return Response(status: .partialContent, headers: headers, body: PlaybackResponse.body(range.slices(of: buffers)))
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(length)"
            headers[.cacheControl] = CachePolicy.error
            return Response(status: .rangeNotSatisfiable, headers: headers)
        }
    }
}
