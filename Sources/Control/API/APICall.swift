import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// One authenticated request as a handler sees it: who is asking, the path parameters, the query
/// and the body, each read with its checks.
struct APICall: Sendable {
    let request: Request
    let parameters: Parameters
    /// `.serverAdmin` for the routes that need no authentication (they do not look at it).
    let scope: Scope
    let limits: APILimits

    // MARK: Path and query

    /// The `{id}` path parameter. A malformed id cannot name anything, so it is a 404 like an
    /// unknown one.
    func id(_ what: String) throws -> UUID {
        guard let text = parameters.get("id"), let id = UUID(uuidString: text) else {
            throw ControlError.notFound(what)
        }
        return id
    }

    /// `?limit=1..200&after=<cursor>`; the store checks the range and the cursor.
    func page() throws -> Page {
        let query = request.uri.queryParameters
        var page = Page.first
        if let limit = query["limit"] {
            guard limit.utf8.count <= 9, let value = Int(limit) else {
                throw APIError.invalid(
                    field: "limit",
                    reason: "must be an integer \(ControlLimits.pageLimit.lowerBound)...\(ControlLimits.pageLimit.upperBound)"
                )
            }
            page.limit = value
        }
        if let after = query["after"] {
            page.after = String(after)
        }
        return page
    }

    /// An optional id in the query string (`?organisationId=`).
    func queryID(_ name: String) throws -> UUID? {
        guard let text = request.uri.queryParameters[Substring(name)] else { return nil }
        guard let id = UUID(uuidString: String(text)) else {
            throw APIError.invalid(field: name, reason: "must be a UUID")
        }
        return id
    }

    /// The organisation a new resource goes to: the caller's own for an organisation token (one
    /// naming another organisation gets the store's 404), the named one for the server admin.
    func owningOrganisation(_ requested: UUID?) throws -> UUID {
        if let requested { return requested }
        guard let own = scope.organisationID else {
            throw APIError.invalid(field: "organisationId", reason: "required with the server admin token")
        }
        return own
    }

    // MARK: Body

    /// The JSON body, decoded as `T`: 415 unless `Content-Type` is JSON, 413 past
    /// ``APILimits/requestBodyBytes`` (from `Content-Length` before reading, else while reading),
    /// 400 if it is not JSON or not a `T`.
    func body<T: Decodable>(_ type: T.Type) async throws -> T {
        try requireJSONContentType()
        let bytes = try await collectBody()
        guard bytes.readableBytes > 0 else {
            throw APIError.invalid("the body is empty: a JSON object is expected")
        }
        return try decode(type, from: bytes)
    }

    /// As ``body(_:)``, for routes where the body may be left out: `nil` when it is empty.
    func optionalBody<T: Decodable>(_ type: T.Type) async throws -> T? {
        let typed = request.headers[.contentType] != nil
        if typed { try requireJSONContentType() }
        let bytes = try await collectBody()
        guard bytes.readableBytes > 0 else { return nil }
        guard typed else { throw unsupportedMediaType() }
        return try decode(type, from: bytes)
    }

    private func decode<T: Decodable>(_ type: T.Type, from bytes: ByteBuffer) throws -> T {
        let data = Data(buffer: bytes, byteTransferStrategy: .noCopy)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            // JSONDecoder says only "not valid JSON"; JSONSerialization says where.
            do {
                _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            } catch {
                let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
                throw APIError.invalid("the body is not valid JSON: \(detail)")
            }
            throw APIError.invalid("the body is not valid JSON: \(context.debugDescription)")
        }
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
