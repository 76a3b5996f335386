import Hummingbird
import HummingbirdTesting
import Logging
@testable import Delivery

/// The playback routes behind a real HTTP server on loopback, as the server runs them: their
/// handler in front of an application (whose router knows `/api/echo`, to mix in requests that go
/// past the handler).
enum PlaybackServer {
    static func serve(
        _ routes: PlaybackRoutes, logger: Logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let router = Router()
        router.get("api/echo") { _, _ in "echo" }
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [routes.channelHandler(serverName: "Antenne")])),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await app.test(.live) { client in try await body(client) }
    }
}
