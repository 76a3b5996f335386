import Crypto
import HTTPTypes
import Hummingbird
import NIOCore

/// A file compiled into the binary by SwiftPM's `embedInCode` rule (Package.swift), so that
/// `antenne` stays one file: the player's modules (``PlayerAssets``) and the back-office's pages.
public struct EmbeddedAsset: Sendable {
    public let body: ByteBuffer
    /// A strong validator (RFC 9110 §8.8.3): the start of the SHA-256 of the bytes.
    public let etag: String

    public init(_ bytes: [UInt8]) {
        body = ByteBuffer(bytes: bytes)
        etag = "\"" + SHA256.hash(data: bytes).prefix(12).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() + "\""
    }

    /// The asset with `headers` (its type and cache policy at least) and its ETag; 304 without the
    /// body when the request's If-None-Match names it (RFC 9110 §13.1.2).
    public func response(to request: Request, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.eTag] = etag
        if let tags = request.headers[.ifNoneMatch], EntityTag.matches(tags, etag) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
