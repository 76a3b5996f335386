/// A query parameter an operation reads. A handler reads only the ones its operation declares
/// (``APICall`` refuses the others), so the document lists every parameter the server reads.
enum APIQueryParameter: String, Sendable, CaseIterable {
    /// `organisationId`: only this organisation's items.
    case organisation = "OrganisationFilter"
    /// `limit`: items per page.
    case limit = "Limit"
    /// `after`: the cursor of the page before.
    case after = "After"

    /// A page of a list.
    static let paging: [APIQueryParameter] = [.limit, .after]

    var name: String {
        switch self {
        case .organisation: "organisationId"
        case .limit: "limit"
        case .after: "after"
        }
    }

    /// The error answers a bad value gets.
    var failures: [APIFailure] {
        switch self {
        case .organisation: [.badRequest, .notFound]
        case .limit, .after: [.badRequest]
        }
    }

    /// The parameter object of `components/parameters` (OpenAPI 3.1 §4.8.12).
    var documentation: OpenAPIValue {
        let (description, schema): (String, OpenAPIValue) =
            switch self {
            case .organisation: (
                "Only this organisation's items. An organisation's token sees only its own (another organisation is a 404); the server admin sees every organisation's items when it is left out.",
                .text(format: "uuid")
            )
            case .limit: (
                "Items per page.",
                .integer(
                    minimum: Int64(ControlLimits.pageLimit.lowerBound), maximum: Int64(ControlLimits.pageLimit.upperBound),
                    default: Int64(ControlLimits.defaultPageLimit)
                )
            )
            case .after: (
                "The nextCursor of the previous page. A cursor of a row deleted since, or not visible to the caller, is invalid.",
                .text()
            )
            }
        return [
            "name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": schema,
        ]
    }

    /// The `{id}` path parameter, the one path parameter of the API.
    static let idDocumentation: OpenAPIValue = [
        "name": "id", "in": "path", "required": true, "description": "The resource's id. A malformed id is a 404.",
        "schema": .text(format: "uuid"),
    ]
}
