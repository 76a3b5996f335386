/// An error answer the document lists, as a response of `components/responses`. Which ones an
/// operation lists follows from its endpoint (``APIEndpoint/failures``): its access, its path and
/// query parameters, its body, and the few the store can answer (``APIOperation/failures``).
enum APIFailure: String, Sendable, CaseIterable {
    case badRequest = "BadRequest"
    case unauthorized = "Unauthorized"
    case forbidden = "Forbidden"
    case notFound = "NotFound"
    case conflict = "Conflict"
    case tooLarge = "TooLarge"
    case unsupportedMediaType = "UnsupportedMediaType"
    case `internal` = "Internal"

    var code: APIError.Code {
        switch self {
        case .badRequest: .invalid
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .tooLarge: .tooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .internal: .internal
        }
    }

    var status: Int {
        switch self {
        case .badRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .conflict: 409
        case .tooLarge: 413
        case .unsupportedMediaType: 415
        case .internal: 500
        }
    }

    /// The response object of `components/responses`.
    var documentation: OpenAPIValue {
        let response: OpenAPIValue = [
            "description": .string("\(code.rawValue): \(explanation)"),
            "content": APIResponse.jsonContent(APIErrorBody.schema.reference),
        ]
        guard self == .unauthorized else { return response }
        return response.merging([.init(key: "headers", value: [
            "WWW-Authenticate": [
                "description": #"Bearer realm="antenne", with error="invalid_token" when a token was sent."#,
                "schema": ["type": "string"],
            ],
        ])])
    }

    private var explanation: String {
        switch self {
        case .badRequest:
            "malformed JSON (the message gives the JSON path), a wrong type, an unknown field, a failed validation (field names it) or a bad query parameter."
        case .unauthorized:
            "no Authorization header, or a token that is malformed, unknown or revoked."
        case .forbidden:
            "the token's role does not allow this (a read-only token that writes, an organisation token on a server-admin operation)."
        case .notFound:
            "absent, or belongs to another organisation (never 403, so existence does not leak)."
        case .conflict:
            "the request clashes with existing state (a taken channel name, a revoked key) or a quota is reached."
        case .tooLarge:
            "the body is larger than the server's limit (\(APILimits.standard.requestBodyBytes / 1024) KiB by default)."
        case .unsupportedMediaType:
            "a body sent without Content-Type: application/json."
        case .internal:
            "the server or its database failed; the server log has the details."
        }
    }
}
