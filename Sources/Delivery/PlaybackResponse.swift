import HTTPTypes
import Hummingbird
import NIOCore

/// A playback answer whose body is in memory: the routes hand it to Hummingbird as a `Response`,
/// and ``LivePlaybackHandler`` writes it straight to the connection. Both get their status,
/// headers and bytes from the same builders.
struct PlaybackResponse {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer

    var response: Response {
        Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    static func playlist(_ body: ByteBuffer, cache: String) -> PlaybackResponse {
        PlaybackResponse(status: .ok, headers: [.contentType: Responses.m3u8, .cacheControl: cache], body: body)
    }

    /// Media bytes, whole. The buffer is shared, not copied.
    static func media(_ body: ByteBuffer, contentType: String, cache: String) -> PlaybackResponse {
        PlaybackResponse(status: .ok, headers: [.contentType: contentType, .cacheControl: cache, .acceptRanges: "bytes"], body: body)
    }
}
