import HTTPTypes
import Hummingbird

/// 202 with the resource as queued: the server acts on it later (RFC 9110 §15.3.3).
struct Accepted<Resource: APIRepresentation>: APISuccess {
    let resource: Resource

    init(_ resource: Resource) {
        self.resource = resource
    }

    static var status: HTTPResponse.Status { .accepted }
    static var defaultDescription: String { "Accepted." }

    static func documentation(_ description: String) -> OpenAPIValue {
        ["description": .string(description), "content": APIResponse.jsonContent(Resource.schema.reference)]
    }

    func response() throws -> Response { try APIResponse.encode(resource, status: Self.status) }
}
