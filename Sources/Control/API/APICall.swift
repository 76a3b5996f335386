import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// One authenticated request as a handler sees it: who is asking, the store, the path parameters,
/// the query and the body (a `Body`, the type the route's endpoint declares), each read with its
/// checks.
struct APICall<Body>: Sendable {
    let request: Request
    let parameters: Parameters
    /// `.serverAdmin` for the routes that need no authentication (they do not look at it).
    let scope: Scope
    let limits: APILimits
    let store: ControlStore
    /// The query parameters the operation declares: the only ones read.
    let query: [APIQueryParameter]
    /// What the running server measures, for the monitoring routes.
    let telemetry: any ChannelTelemetry
    /// Where markers go, for `channels/{id}/markers`.
    let markers: any ChannelMarkers
    /// The files schedules may name; nil: the server has no media directory.
    let media: MediaLibrary?

    init(
        request: Request, parameters: Parameters, scope: Scope, limits: APILimits, store: ControlStore,
        query: [APIQueryParameter], telemetry: any ChannelTelemetry = NoTelemetry(), markers: any ChannelMarkers = NoMarkers(),
        media: MediaLibrary? = nil
    ) {
        self.request = request
        self.parameters = parameters
        self.scope = scope
        self.limits = limits
        self.store = store
        self.query = query
        self.telemetry = telemetry
        self.markers = markers
        self.media = media
    }

    /// The same request, read as a route with a `Body`.
    init<Other>(_ call: APICall<Other>) {
        self.init(
            request: call.request, parameters: call.parameters, scope: call.scope, limits: call.limits,
            store: call.store, query: call.query, telemetry: call.telemetry, markers: call.markers, media: call.media
        )
    }

    // MARK: Path and query

    /// The `{id}` path parameter. A malformed id cannot name anything, so it is a 404 like an
    /// unknown one.
    func id(_ what: String) throws -> UUID {
        guard let text = parameters.get("id"), let id = UUID(uuidString: text) else {
            throw ControlError.notFound(what)
        }
        return id
    }

    /// The value of a query parameter. Reading one the operation does not declare is a fault of
    /// the route, answered 500: the document would not list it.
    private func value(of parameter: APIQueryParameter) throws -> Substring? {
        guard query.contains(parameter) else {
            throw APIError.internalError("the route reads the query parameter \(parameter.name), which it does not document")
        }
        return request.uri.queryParameters[Substring(parameter.name)]
    }

    /// `?limit=1..200&after=<cursor>`; the store checks the range and the cursor.
    func page() throws -> Page {
        var page = Page.first
        if let limit = try value(of: .limit) {
            guard limit.utf8.count <= 9, let value = Int(limit) else {
                throw APIError.invalid(
                    field: "limit",
                    reason: "must be an integer \(ControlLimits.pageLimit.lowerBound)...\(ControlLimits.pageLimit.upperBound)"
                )
            }
            page.limit = value
        }
        if let after = try value(of: .after) {
            page.after = String(after)
        }
        return page
    }

    /// An optional id in the query string (`?organisationId=`).
    func queryID(_ parameter: APIQueryParameter) throws -> UUID? {
        guard let text = try value(of: parameter) else { return nil }
        guard let id = UUID(uuidString: String(text)) else {
            throw APIError.invalid(field: parameter.name, reason: "must be a UUID")
        }
        return id
    }

    /// The organisation a new resource goes to: the caller's own for an organisation token (one
    /// naming another organisation gets the store's 404), the named one for the server admin.
    func owningOrganisation(_ requested: UUID?) throws -> UUID {
        if let requested { return requested }
        guard let own = scope.organisationID else {
            throw APIError.invalid(field: "organisationId", reason: "required with the server admin token")
        }
        return own
    }
}
