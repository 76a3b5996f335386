import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// JSON responses of the REST API.
enum APIResponse {
    static let json = "application/json; charset=utf-8"

    /// Responses can carry secrets (a new token, key or webhook secret) and always describe
    /// state that changes: no cache may keep them.
    static let cacheControl = "no-store"

    /// The `content` of a JSON response or request body in the OpenAPI document.
    static func jsonContent(_ schema: OpenAPIValue) -> OpenAPIValue {
        ["application/json": ["schema": schema]]
    }

    static func noContent() -> Response {
        Response(status: .noContent, headers: [.cacheControl: cacheControl])
    }

    static func error(_ error: APIError) -> Response {
        var headers = error.headers
        headers[.contentType] = json
        headers[.cacheControl] = cacheControl
        // Encoding three strings cannot fail; fall back to a fixed body all the same.
        let body = (try? encoder().encode(APIErrorBody(error)))
            ?? Data(#"{"error":{"code":"internal","message":"error body could not be encoded","field":null}}"#.utf8)
        return Response(status: error.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func encode(_ value: some Encodable, status: HTTPResponse.Status, headers: HTTPFields = [:]) throws -> Response {
        let body = try encoder().encode(value)
        var headers = headers
        headers[.contentType] = json
        headers[.cacheControl] = cacheControl
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}
