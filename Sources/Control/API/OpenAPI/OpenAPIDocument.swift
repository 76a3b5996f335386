import HTTPTypes
import Hummingbird
import NIOCore

/// The OpenAPI 3.1 document of the REST API, served at `GET /api/v1/openapi.json`, built from the
/// endpoint table (``ControlAPI/endpoints``) rather than written beside it: every route is an
/// operation and every operation a route; an operation's request body is the schema of the type
/// its handler reads, its success response that of the type its handler returns, its query
/// parameters the ones its handler may read, and its error responses follow from its access, path,
/// parameters and body. The schemas sit beside the representation types they describe, and the
/// bounds in them are the store's named limits.
///
/// `ControlAPITests` checks the routes against the document and real answers against the schemas;
/// `tests/api/test_openapi.py` validates the document against the OpenAPI 3.1 schema, and
/// `tests/api/test_schemathesis.py` fuzzes a real server with it.
struct OpenAPIDocument: Sendable {
    let value: OpenAPIValue
    /// The document as JSON text.
    let text: String

    init(_ endpoints: [APIEndpoint]) {
        var paths: [OpenAPIValue.Member] = []
        for endpoint in endpoints where !paths.contains(where: { $0.key == "/" + endpoint.path }) {
            let operations = endpoints.filter { $0.path == endpoint.path }.map {
                OpenAPIValue.Member(key: $0.method.rawValue.lowercased(), value: Self.operation($0))
            }
            let parameters: [OpenAPIValue.Member] =
                endpoint.path.contains("{id}") ? [.init(key: "parameters", value: [Self.reference("parameters", "Id")])] : []
            paths.append(.init(key: "/" + endpoint.path, value: .object(parameters + operations)))
        }
        let responses = OpenAPIValue.object(APIFailure.allCases.map { .init(key: $0.rawValue, value: $0.documentation) })
        let used = OpenAPIValue.array([.object(paths), responses])
        var schemas: [APISchema] = []
        used.schemas(into: &schemas)
        let parameters = [OpenAPIValue.Member(key: "Id", value: APIQueryParameter.idDocumentation)]
            + APIQueryParameter.allCases.map { .init(key: $0.rawValue, value: $0.documentation) }

        value = [
            "openapi": "3.1.0",
            "info": ["title": "Antenne control API", "version": "1.0.0", "description": .string(Self.description)],
            "servers": [["url": .string(String(ControlAPI.basePath.dropLast()))]],
            "security": [["bearer": []]],
            "tags": .array(APITag.allCases.map { ["name": .string($0.rawValue)] }),
            "paths": .object(paths),
            "components": [
                "schemas": .object(schemas.map { .init(key: $0.name, value: $0.value) }),
                "responses": responses,
                "parameters": .object(parameters),
                "securitySchemes": [
                    "bearer": [
                        "type": "http", "scheme": "bearer",
                        "description": "The server admin token, or an organisation's API token (ant_...).",
                    ],
                ],
            ],
        ]
        text = value.jsonText
    }

    private static func operation(_ endpoint: APIEndpoint) -> OpenAPIValue {
        let operation = endpoint.operation
        let responses = [OpenAPIValue.Member(key: String(endpoint.answerStatus.code), value: endpoint.answer)]
            + endpoint.failures.map { .init(key: String($0.status), value: reference("responses", $0.rawValue)) }
        return .compactObject([
            "operationId": .string(operation.id),
            "summary": .string(operation.summary),
            "tags": [.string(operation.tag.rawValue)],
            "description": operation.description.map { .string($0) },
            // The document needs no token; every other operation takes the document's `security`.
            "security": endpoint.access == .open ? [] : nil,
            "parameters": operation.query.isEmpty ? nil : .array(operation.query.map { reference("parameters", $0.rawValue) }),
            "requestBody": endpoint.requestBody?.documentation,
            "responses": .object(responses),
        ])
    }

    private static func reference(_ section: String, _ name: String) -> OpenAPIValue {
        ["$ref": .string("#/components/\(section)/\(name)")]
    }

    private static let description = """
        Organisations, API tokens, channels, stream keys, events, recordings, clips and webhooks of an Antenne server.

        Authentication: Authorization: Bearer <token>, with the server admin token (ANTENNE_ADMIN_TOKEN) or an organisation's API token (ant_...). An organisation's token sees only its organisation: another organisation's resources answer 404. A readOnly token gets 403 on any change.

        Bodies are JSON (Content-Type: application/json), at most \(APILimits.standard.requestBodyBytes / 1024) KiB by default; unknown fields are refused. Ids are lowercase UUIDs; timestamps RFC 3339 in UTC with milliseconds.

        Lists are paged: ?limit=\(ControlLimits.pageLimit.lowerBound)..\(ControlLimits.pageLimit.upperBound) (default \(ControlLimits.defaultPageLimit)) and ?after=<nextCursor>; they answer {"items": [...], "nextCursor": string | null}, oldest first.

        Secrets (API tokens, stream keys, webhook signing secrets) appear only in the answer that creates them.

        Every 4xx and 5xx answer has the body {"error": {"code", "message", "field"}}; a route that does not exist answers 404, a method a route does not have answers 405 with Allow.
        """
}

extension OpenAPIDocument: APISuccess {
    static var status: HTTPResponse.Status { .ok }
    static var defaultDescription: String { "The OpenAPI 3.1 document of this API." }

    static func documentation(_ description: String) -> OpenAPIValue {
        ["description": .string(description), "content": APIResponse.jsonContent(["type": "object"])]
    }

    func response() throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: APIResponse.json, .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }
}
