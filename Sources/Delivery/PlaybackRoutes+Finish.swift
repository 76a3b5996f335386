import HTTPTypes

/// What every playback answer gets on its way out, whichever route made it: `304` for a
/// validator that matches, a byte range, and CORS for players on other origins (the Fetch
/// standard, §3.2 "CORS protocol").
extension PlaybackRoutes {
    /// `response` as it goes to the client: `304 Not Modified` without the body when an
    /// `If-None-Match` names its entity tag (RFC 9110 §13.1.2, evaluated before a range, §13.2.2),
    /// a single byte range of media that accepts ranges (§14), and `Access-Control-*`.
    ///
    /// `Access-Control-Allow-Origin: *` goes on every answer, asked with an `Origin` or not: a CDN
    /// keeps one copy of a URL for every viewer, so an answer must not depend on a request header
    /// that its cache key leaves out (one cached for a request without `Origin` would otherwise
    /// be refused to every browser player after it).
    func finish(_ response: PlaybackResponse, for request: PlaybackRequest) -> PlaybackResponse {
        var response = response
        if response.status == .ok, let etag = response.headers[.eTag], let tags = request.headers[.ifNoneMatch],
           EntityTag.matches(tags, etag) {
            response.status = .notModified
            response.headers[.contentType] = nil
            response.body = .buffers([])
        }
        if response.status == .ok, response.headers[.acceptRanges] != nil, let header = request.headers[.range] {
            let length = response.length
            switch RequestedRange.resolve(header: header, length: length) {
            case .whole:
                break
            case .partial(let range):
                response.status = .partialContent
                response.headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(length)"
                response.body = response.body.slice(range.lowerBound..<(range.upperBound + 1))
            case .unsatisfiable:
                response = PlaybackResponse(
                    status: .rangeNotSatisfiable,
                    headers: [.contentRange: "bytes */\(length)", .cacheControl: CachePolicy.error, .acceptRanges: "bytes"])
            }
        }
        response.headers[.accessControlAllowOrigin] = "*"
        if request.method == .options {
            response.headers[.accessControlAllowMethods] = Self.allowedMethods
            response.headers[.accessControlAllowHeaders] = "Range, Content-Type"
            response.headers[.accessControlMaxAge] = "86400"
        } else {
            response.headers[.accessControlExposeHeaders] = "Content-Range, Accept-Ranges"
        }
        return response
    }

    /// `OPTIONS`: what a player may ask (the CORS headers are added by ``finish(_:for:)``).
    static let preflight = PlaybackResponse(status: .noContent, headers: [.allow: allowedMethods])

    static let methodNotAllowed: PlaybackResponse = {
        var response = PlaybackResponse.text(.methodNotAllowed, "playback URLs answer GET and HEAD")
        response.headers[.allow] = allowedMethods
        return response
    }()

    static let allowedMethods = "GET, HEAD, OPTIONS"
}
