/// A JSON request body, described by a named schema. ``BodyObject`` takes the fields it accepts
/// from the schema, so a field cannot be accepted without being documented, nor the reverse.
protocol APIRequestBody: Decodable, SendableMetatype {
    static var schema: APISchema { get }
    /// What a left-out body stands for; `nil` (the default) when the body is required.
    static var whenLeftOut: Self? { get }
}

extension APIRequestBody {
    static var whenLeftOut: Self? { nil }

    /// The request body object of the document (OpenAPI 3.1 §4.8.13).
    static var documentation: OpenAPIValue {
        ["required": .bool(whenLeftOut == nil), "content": APIResponse.jsonContent(schema.reference)]
    }
}

/// The body of a route that reads none.
struct NoBody: Decodable {}
