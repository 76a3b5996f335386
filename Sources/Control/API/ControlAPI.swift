import HTTPTypes
import Hummingbird
import Logging

/// The control plane's REST API under `/api/v1/` (ARCHITECTURE.md, Contracts: API): JSON over
/// HTTP for organisations, API tokens, channels, stream keys, events, recordings, clips,
/// webhooks and what the running server measures (``ChannelTelemetry``), described by the
/// OpenAPI 3.1 document at `/api/v1/openapi.json`, which is built from the same table of
/// endpoints as the routes (``OpenAPIDocument``).
///
/// Every route but the document needs `Authorization: Bearer <token>`: the server admin token, or
/// an organisation's API token. Each request is turned into ``ControlStore`` calls with the
/// caller's ``Scope``, so organisation isolation is the store's: another organisation's resource
/// answers 404, never 403. Every 4xx and 5xx answer has the body
/// `{"error": {"code", "message", "field"}}`, unknown routes under `/api/v1/` included.
///
/// ```swift
/// let api = ControlAPI(store: store, adminToken: Secret(environment["ANTENNE_ADMIN_TOKEN"]))
/// api.add(to: router)
/// ```
public struct ControlAPI: Sendable {
    let store: ControlStore
    let authenticator: APIAuthenticator
    let limits: APILimits
    let telemetry: any ChannelTelemetry
    let markers: any ChannelMarkers
    let media: MediaLibrary?
    let logger: Logger

    /// The prefix of every route, with its trailing slash.
    public static let basePath = "/api/v1/"

    /// - Parameters:
    ///   - adminToken: the server admin token (`ANTENNE_ADMIN_TOKEN` or the configuration file);
    ///     `nil` or empty: no request is server admin.
    ///   - limits: the bounds on request bodies and headers.
    ///   - telemetry: what the running server measures, for the monitoring routes.
    ///   - markers: where `channels/{id}/markers` posts markers.
    ///   - media: the files a channel's schedule may name (`--media-dir`); nil: schedules are refused.
    public init(
        store: ControlStore, adminToken: Secret?, limits: APILimits = .standard,
        telemetry: any ChannelTelemetry = NoTelemetry(), markers: any ChannelMarkers = NoMarkers(),
        media: MediaLibrary? = nil, logger: Logger = Logger(label: "antenne.api")
    ) {
        self.store = store
        self.authenticator = APIAuthenticator(
            store: store, adminToken: adminToken, maximumHeaderBytes: limits.authorizationHeaderBytes
        )
        self.limits = limits
        self.telemetry = telemetry
        self.markers = markers
        self.media = media
        self.logger = logger
    }

    /// Every route, in the order of the OpenAPI document.
    static let endpoints: [APIEndpoint] =
        documentEndpoints + organisationEndpoints + tokenEndpoints + channelEndpoints + markerEndpoints
        + streamKeyEndpoints + destinationEndpoints + scheduleEndpoints + eventEndpoints + recordingEndpoints + clipEndpoints + webhookEndpoints
        + monitoringEndpoints

    /// The OpenAPI document of ``endpoints``, served at `openapi.json`.
    static let document = OpenAPIDocument(endpoints)

    /// The methods a path that exists answers 405 to when it has no handler for them, so that no
    /// request under `/api/v1/` gets the router's empty 404: every method of RFC 9110 §9 but
    /// CONNECT (a proxy's, with no path), PATCH (RFC 5789) and QUERY (the IETF draft for a safe
    /// method with a body, which API clients and fuzzers already send).
    static let fallbackMethods: [HTTPRequest.Method] = [
        .get, .head, .post, .put, .patch, .delete, .options, .trace, HTTPRequest.Method("QUERY")!,
    ]

    /// Mounts the API under `/api/v1/`.
    public func add<Context: RequestContext>(to router: Router<Context>) {
        let group = router.group(RouterPath(String(Self.basePath.dropFirst().dropLast())))
        var methodsByPath: [String: [HTTPRequest.Method]] = [:]
        var paths: [String] = []
        for endpoint in Self.endpoints {
            if methodsByPath[endpoint.path] == nil { paths.append(endpoint.path) }
            methodsByPath[endpoint.path, default: []].append(endpoint.method)
            group.on(RouterPath(endpoint.path), method: endpoint.method) { request, context in
                await respond(to: request, parameters: context.parameters, with: endpoint)
            }
            if endpoint.method == .get {
                // HEAD is GET without the body, whether or not the router generates HEAD routes.
                group.on(RouterPath(endpoint.path), method: .head) { request, context in
                    await respond(to: request, parameters: context.parameters, with: endpoint).createHeadResponse()
                }
                methodsByPath[endpoint.path, default: []].append(.head)
            }
        }
        for path in paths {
            let allowed = methodsByPath[path, default: []]
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            for method in Self.fallbackMethods where !allowed.contains(method) {
                group.on(RouterPath(path), method: method) { request, _ in
                    APIResponse.error(APIError(
                        .methodNotAllowed, .methodNotAllowed,
                        "\(request.method.rawValue) is not allowed on \(Self.basePath)\(path); allowed: \(allow)",
                        headers: [.allow: allow]
                    ))
                }
            }
        }
        for method in Self.fallbackMethods {
            for path in ["", "**"] {
                group.on(RouterPath(path), method: method) { request, _ in
                    APIResponse.error(.notFound(
                        "no route \(request.method.rawValue) \(request.uri.path.prefix(200)); the routes are listed in \(Self.basePath)openapi.json"
                    ))
                }
            }
        }
    }

    /// Authenticates, authorises, runs the handler and turns any error into its JSON answer.
    func respond(to request: Request, parameters: Parameters, with endpoint: APIEndpoint) async -> Response {
        do {
            let scope: Scope
            switch endpoint.access {
            case .open:
                scope = .serverAdmin
            case .read:
                scope = try await authenticator.scope(for: request.headers)
            case .write:
                scope = try await authenticator.scope(for: request.headers)
                guard scope.canWrite else { throw APIError.forbidden("a read-only token cannot change anything") }
            }
            let call = APICall<NoBody>(
                request: request, parameters: parameters, scope: scope, limits: limits, store: store,
                query: endpoint.operation.query, telemetry: telemetry, markers: markers, media: media
            )
            return try await endpoint.handler(call)
        } catch {
            let answer = APIError.from(error)
            if answer.status.kind == .serverError {
                // The error, not the request: headers carry tokens.
                logger.error(
                    "API request failed",
                    metadata: [
                        "method": "\(request.method.rawValue)", "route": "\(endpoint.path)",
                        "error": "\(String(describing: error))",
                    ]
                )
            }
            return APIResponse.error(answer)
        }
    }
}
