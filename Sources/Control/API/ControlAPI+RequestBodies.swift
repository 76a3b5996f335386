import NIOCore

extension ControlAPI {
    /// Every request body the API reads, by its schema's name, each read exactly as its route
    /// reads it (``APIRequestBody/read(from:)``) but without a store or a handler: what the
    /// `api-json` fuzz target drives. Derived from the routes, so a new body is fuzzed as soon as
    /// a route reads it.
    public static let requestBodyReaders: [String: @Sendable (ByteBuffer) throws -> Void] =
        Dictionary(endpoints.compactMap { $0.requestBody.map { ($0.schema, $0.read) } }, uniquingKeysWith: { first, _ in first })
}
