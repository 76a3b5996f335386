import Hummingbird
import HummingbirdTesting
import NIOCore
import Observability
import Testing

@Suite struct HTTPMetricsTests {
    @Test func routeClassesFromPaths() {
        let cases: [(String, HTTPRouteClass)] = [
            ("/", .page), ("/watch", .page), ("/watch/news", .page), ("/embed/news?autoplay=1", .page), ("/admin", .page),
            ("/player/antenne.js", .player), ("/player/beacon", .player), ("/api/v1/channels", .api), ("/healthz", .health),
            ("/readyz", .health), ("/metrics", .metrics), ("/wp-login.php", .other), ("/watchx", .other),
        ]
        for (path, route) in cases { #expect(HTTPRouteClass(path: Substring(path)) == route, "\(path)") }
    }

    /// Every answer of the router counts under its route class and status class, a path nothing
    /// serves (a 404 thrown by the router) and a handler's error included.
    @Test func answersByRouteAndStatus() async throws {
        let exposition = MetricsExposition(collectors: [])
        let router = Router()
        router.add(middleware: HTTPMetricsMiddleware(registry: exposition.registry))
        router.get("watch") { _, _ in "lineup" }
        router.get("api/v1/fails") { _, _ -> String in throw HTTPError(.forbidden) }
        exposition.add(to: router)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/watch", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/watch", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/nothing/here", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/fails", method: .get) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"antenne_http_responses_total{route="page",status="2xx"} 2"#), "\(text)")
                #expect(text.contains(#"antenne_http_responses_total{route="other",status="4xx"} 1"#), "\(text)")
                #expect(text.contains(#"antenne_http_responses_total{route="api",status="4xx"} 1"#), "\(text)")
                #expect(text.contains(#"antenne_http_responses_total{route="health",status="5xx"} 0"#), "\(text)")
            }
        }
    }
}
