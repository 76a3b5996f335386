import HTTPTypes

/// An error answer of the REST API: a status and the JSON body
/// `{"error": {"code": ..., "message": ..., "field": ...}}` that every 4xx and 5xx carries.
struct APIError: Error, Sendable, Hashable {
    /// The machine-readable kind of error: clients branch on it, not on the message.
    enum Code: String, Sendable, Hashable, CaseIterable, Encodable {
        case notFound = "not_found"
        case invalid
        case conflict
        case unauthorized
        case forbidden
        case tooLarge = "too_large"
        case unsupportedMediaType = "unsupported_media_type"
        case methodNotAllowed = "method_not_allowed"
        case `internal`
    }

    let status: HTTPResponse.Status
    let code: Code
    /// For humans: what was wrong, and where possible how to fix it.
    let message: String
    /// The request field at fault, as the API spells it (`name`, `archive.retentionSeconds`,
    /// `events[1]`), for `invalid`.
    let field: String?
    /// Extra response headers (`WWW-Authenticate`, `Allow`).
    let headers: HTTPFields

    init(_ status: HTTPResponse.Status, _ code: Code, _ message: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers
    }

    static func invalid(_ message: String, field: String? = nil) -> APIError {
        APIError(.badRequest, .invalid, message, field: field)
    }

    /// A request field at fault, named by its path as the API spells it.
    static func invalid(field: String, reason: String) -> APIError {
        APIError(.badRequest, .invalid, "\(field): \(reason)", field: field)
    }

    static func notFound(_ message: String) -> APIError {
        APIError(.notFound, .notFound, message)
    }

    /// RFC 6750 §3: a request without credentials gets a bare challenge; one with a bad token
    /// also gets `error="invalid_token"`.
    static func unauthorized(_ message: String, invalidToken: Bool) -> APIError {
        let challenge = invalidToken ? #"Bearer realm="antenne", error="invalid_token""# : #"Bearer realm="antenne""#
        return APIError(.unauthorized, .unauthorized, message, headers: [.wwwAuthenticate: challenge])
    }

    static func forbidden(_ message: String) -> APIError {
        APIError(.forbidden, .forbidden, message)
    }

    static func internalError(_ message: String = "internal error; the server log has the details") -> APIError {
        APIError(.internalServerError, .internal, message)
    }
}

/// The JSON body of an error.
struct APIErrorBody: Encodable {
    struct Detail: Encodable {
        let code: APIError.Code
        let message: String
        let field: Nullable<String>
    }

    let error: Detail

    init(_ error: APIError) {
        self.error = Detail(code: error.code, message: error.message, field: Nullable(error.field))
    }
}

extension APIErrorBody {
    static let schema = APISchema("Error", .representation("The body of every 4xx and 5xx answer.", [
        "error": .representation(nil, [
            "code": .choice(
                APIError.Code.self,
                "Machine-readable kind: not_found (404: absent, or another organisation's), invalid (400: malformed JSON, wrong type, failed validation, bad query parameter), conflict (409: duplicate name, already revoked, a quota reached), unauthorized (401), forbidden (403: the token's role does not allow it), too_large (413), unsupported_media_type (415), method_not_allowed (405), internal (500)."
            ),
            "message": .text("For humans: what was wrong. For invalid, starts with the field's path."),
            "field": .text(
                "For invalid: the request field at fault, as a path (name, archive.retentionSeconds, events[1]); null otherwise.",
                nullable: true
            ),
        ]),
    ]))
}
