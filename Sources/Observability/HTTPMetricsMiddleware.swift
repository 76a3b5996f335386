import HTTPTypes
import Hummingbird
import Prometheus

/// Counts every answer of the router (pages, the player, the API, health, metrics; playback,
/// answered ahead of it, is ``PlaybackMetrics``'s) by route class and status class:
/// `antenne_http_responses_total{route,status}`, a 404 for a path nothing serves included. Add it
/// to the router before any route: Hummingbird wraps a route in the middleware there when the
/// route is added.
public struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    /// By route class (its index in `allCases`), then by status class.
    private let responses: [[Counter]]

    /// Status classes counted: 1xx (a protocol switch) to 5xx.
    static var statusClasses: ClosedRange<Int> { 1...5 }

    public init(registry: PrometheusCollectorRegistry) {
        responses = HTTPRouteClass.allCases.map { route in
            Self.statusClasses.map { status in
                registry.makeCounter(
                    descriptor: MetricNameDescriptor(
                        metricName: "antenne_http_responses", unitName: "total",
                        helpText: "HTTP responses outside playback, by route class and status class"),
                    labels: [("route", route.rawValue), ("status", "\(status)xx")])
            }
        }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let route = HTTPRouteClass(path: Substring(request.uri.path))
        do {
            let response = try await next(request, context)
            count(route, response.status)
            return response
        } catch let error as any HTTPResponseError {
            count(route, error.status)
            throw error
        } catch {
            count(route, .internalServerError)
            throw error
        }
    }

    private func count(_ route: HTTPRouteClass, _ status: HTTPResponse.Status) {
        let statusClass = status.code / 100
        guard Self.statusClasses.contains(statusClass), let index = HTTPRouteClass.allCases.firstIndex(of: route) else { return }
        responses[index][statusClass - Self.statusClasses.lowerBound].increment()
    }
}
