import HTTPTypes
import Hummingbird

/// What a handler returns: the success answer it sends, and how the document describes it. An
/// endpoint's documented success response is its handler's return type, so the two cannot differ.
protocol APISuccess: SendableMetatype {
    static var status: HTTPResponse.Status { get }
    /// The description when the operation gives none.
    static var defaultDescription: String { get }
    /// The response object of the document (OpenAPI 3.1 §4.8.17), with `description`.
    static func documentation(_ description: String) -> OpenAPIValue

    func response() throws -> Response
}

/// A JSON representation of a resource, answered with 200 and described by a named schema.
protocol APIRepresentation: APISuccess, Encodable {
    static var schema: APISchema { get }
}

extension APIRepresentation {
    static var status: HTTPResponse.Status { .ok }
    static var defaultDescription: String { "OK" }

    static func documentation(_ description: String) -> OpenAPIValue {
        ["description": .string(description), "content": APIResponse.jsonContent(schema.reference)]
    }

    func response() throws -> Response { try APIResponse.encode(self, status: Self.status) }
}

/// 201 with the new resource and `Location` naming it, relative to `/api/v1/`.
struct Created<Resource: APIRepresentation>: APISuccess {
    let resource: Resource
    let location: String

    init(_ resource: Resource, at location: String) {
        self.resource = resource
        self.location = location
    }

    static var status: HTTPResponse.Status { .created }
    static var defaultDescription: String { "Created." }

    static func documentation(_ description: String) -> OpenAPIValue {
        [
            "description": .string(description),
            "headers": ["Location": ["description": "The new resource's URL path.", "schema": ["type": "string"]]],
            "content": APIResponse.jsonContent(Resource.schema.reference),
        ]
    }

    func response() throws -> Response {
        try APIResponse.encode(resource, status: Self.status, headers: [.location: ControlAPI.basePath + location])
    }
}

/// 204: done, nothing to show.
struct NoContent: APISuccess {
    static var status: HTTPResponse.Status { .noContent }
    static var defaultDescription: String { "Deleted." }
    static func documentation(_ description: String) -> OpenAPIValue { ["description": .string(description)] }
    func response() throws -> Response { APIResponse.noContent() }
}
