import HTTPTypes
import Hummingbird

/// One route of the REST API and its operation in the OpenAPI document: a method, a path below
/// `/api/v1/` in OpenAPI's template syntax (`channels/{id}/keys`, which Hummingbird reads too),
/// who may call it, the words of the document, and the handler. The document is built from these
/// (``OpenAPIDocument``): the request body it lists is the type the handler reads, the success
/// response the type it returns, and the error responses follow from the rest.
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
    let operation: APIOperation
    /// The body the route reads; `nil` for a route that reads none.
    let requestBody: RequestBody?
    /// The success response: its status, and the document's response object.
    let answerStatus: HTTPResponse.Status
    let answer: OpenAPIValue
    let handler: @Sendable (APICall<NoBody>) async throws -> Response

    /// A route that reads no body.
    init<Answer: APISuccess>(
        _ method: HTTPRequest.Method, _ path: String, _ access: Access, _ operation: APIOperation,
        _ handler: @escaping @Sendable (APICall<NoBody>) async throws -> Answer
    ) {
        self.init(method, path, access, operation, requestBody: nil, Answer.self) { call in
            try await handler(call).response()
        }
    }

    /// A route that reads a `Body` (``APICall/body()``).
    init<Body: APIRequestBody, Answer: APISuccess>(
        _ method: HTTPRequest.Method, _ path: String, _ access: Access, _ operation: APIOperation, body: Body.Type,
        _ handler: @escaping @Sendable (APICall<Body>) async throws -> Answer
    ) {
        let requestBody = RequestBody(schema: Body.schema.name, documentation: Body.documentation) { _ = try Body.read(from: $0) }
        self.init(method, path, access, operation, requestBody: requestBody, Answer.self) { call in
            try await handler(APICall(call)).response()
        }
    }

    private init<Answer: APISuccess>(
        _ method: HTTPRequest.Method, _ path: String, _ access: Access, _ operation: APIOperation,
        requestBody: RequestBody?, _ answer: Answer.Type,
        handler: @escaping @Sendable (APICall<NoBody>) async throws -> Response
    ) {
        self.method = method
        self.path = path
        self.access = access
        self.operation = operation
        self.requestBody = requestBody
        self.answerStatus = Answer.status
        self.answer = Answer.documentation(operation.answer ?? Answer.defaultDescription)
        self.handler = handler
    }

    /// A route's request body: the name of its schema, the document's request body object, and
    /// the reader its handler uses (``APIRequestBody/read(from:)``), which the fuzz target drives.
    struct RequestBody: Sendable {
        let schema: String
        let documentation: OpenAPIValue
        let read: @Sendable (ByteBuffer) throws -> Void
    }

    /// The error answers the operation can give, in status order: 401 and 500 unless it is open,
    /// 403 if it writes, 404 for an `{id}`, those of its query parameters, 400, 413 and 415 for a
    /// body, and the ones its operation adds.
    var failures: [APIFailure] {
        var failures = Set(operation.failures)
        if access != .open { failures.formUnion([.unauthorized, .internal]) }
        if access == .write { failures.insert(.forbidden) }
        if path.contains("{id}") { failures.insert(.notFound) }
        for parameter in operation.query { failures.formUnion(parameter.failures) }
        if requestBody != nil { failures.formUnion([.badRequest, .tooLarge, .unsupportedMediaType]) }
        return APIFailure.allCases.filter(failures.contains).sorted { $0.status < $1.status }
    }
}
