import HTTPTypes
import Hummingbird

/// Response builders of the pages the router serves.
enum Responses {
    static let html = "text/html; charset=utf-8"

    static func text(_ status: HTTPResponse.Status, _ body: String, cache: String = CachePolicy.error) -> Response {
        PlaybackResponse.text(status, body, cache: cache).response
    }

    static func notFound(_ what: String = "not found") -> Response { text(.notFound, what) }
}
