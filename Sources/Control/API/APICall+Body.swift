import Foundation
import HTTPTypes
import Hummingbird
import NIOCore


extension APICall where Body: APIRequestBody {
    /// The JSON body, decoded as `Body`: 415 unless `Content-Type` is JSON, 413 past
    /// ``APILimits/requestBodyBytes`` (from `Content-Length` before reading, else while reading),
    /// 400 if it is not JSON or not a `Body`. A body that may be left out
    /// (``APIRequestBody/whenLeftOut``) needs no `Content-Type` when it is.
    func body() async throws -> Body {
        if let leftOut = Body.whenLeftOut {
            let typed = request.headers[.contentType] != nil
            if typed { try requireJSONContentType() }
            let bytes = try await collectBody()
            guard bytes.readableBytes > 0 else { return leftOut }
            guard typed else { throw unsupportedMediaType() }
            return try Body.read(from: bytes)
        }
        try requireJSONContentType()
        let bytes = try await collectBody()
        guard bytes.readableBytes > 0 else {
            throw APIError.invalid("the body is empty: a JSON object is expected")
        }
        return try Body.read(from: bytes)
    }

    private func requireJSONContentType() throws {
        guard let value = request.headers[.contentType], Self.isJSON(value) else {
            throw unsupportedMediaType()
        }
    }

    private func unsupportedMediaType() -> APIError {
        APIError(.unsupportedMediaType, .unsupportedMediaType, "request bodies must be sent as Content-Type: application/json")
    }

    /// `application/json`, with parameters (`; charset=utf-8`) allowed (RFC 8259 §11; media types
    /// are case-insensitive, RFC 9110 §8.3.1).
    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    private func collectBody() async throws -> ByteBuffer {
        let limit = limits.requestBodyBytes
        if let length = request.headers[.contentLength], let declared = Int(length), declared > limit {
            throw tooLarge()
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw tooLarge()
        }
    }

    private func tooLarge() -> APIError {
        APIError(.contentTooLarge, .tooLarge, "the request body is larger than \(limits.requestBodyBytes) bytes")
    }
}
