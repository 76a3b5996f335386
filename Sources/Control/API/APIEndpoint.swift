import HTTPTypes
import Hummingbird

/// One route of the REST API: a method, a path below `/api/v1/` in OpenAPI's template syntax
/// (`channels/{id}/keys`, which Hummingbird reads too), who may call it, and the handler.
struct APIEndpoint: Sendable {
    enum Access: Sendable {
        /// No authentication (the OpenAPI document).
        case open
        /// Any valid token.
        case read
        /// A token that may write: the server admin, or an organisation's admin token. A read-only
        /// token gets 403 before the body is read.
        case write
    }

    let method: HTTPRequest.Method
    let path: String
    let access: Access
    let handler: @Sendable (APICall) async throws -> Response

    init(
        _ method: HTTPRequest.Method, _ path: String, _ access: Access,
        _ handler: @escaping @Sendable (APICall) async throws -> Response
    ) {
        self.method = method
        self.path = path
        self.access = access
        self.handler = handler
    }
}
