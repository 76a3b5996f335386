import HTTPTypes
import Hummingbird
import NIOCore

/// A playback answer whose body is in memory: the routes hand it to Hummingbird as a `Response`,
/// and ``LivePlaybackHandler`` writes it straight to the connection. Both get their status,
/// headers and bytes from the same builders.
struct PlaybackResponse {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    /// The body's bytes, in order: one buffer, or a segment's parts.
    var body: [ByteBuffer]

    var response: Response {
        Response(status: status, headers: headers, body: Self.body(body))
    }

    /// Content-Length.
    var length: Int { body.reduce(0) { $0 + $1.readableBytes } }

    static func body(_ buffers: [ByteBuffer]) -> ResponseBody {
        buffers.count == 1 ? ResponseBody(byteBuffer: buffers[0]) : ResponseBody(contentsOf: buffers)
    }

    static func playlist(_ body: ByteBuffer, cache: String) -> PlaybackResponse {
        PlaybackResponse(status: .ok, headers: [.contentType: Responses.m3u8, .cacheControl: cache], body: [body])
    }

    /// Media bytes, whole. The buffers are shared, not copied.
    static func media(_ body: [ByteBuffer], contentType: String, cache: String) -> PlaybackResponse {
        PlaybackResponse(status: .ok, headers: [.contentType: contentType, .cacheControl: cache, .acceptRanges: "bytes"], body: body)
    }
}
