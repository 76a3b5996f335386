extension ControlAPI {
    /// `GET openapi.json`, without authentication: the document describes the API, not its data.
    static let documentEndpoints: [APIEndpoint] = [
        APIEndpoint(.get, "openapi.json", .open, APIOperation("getOpenAPIDocument", "This document", tag: .meta)) { _ in
            ControlAPI.document
        },
    ]
}
