import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers

/// A webhook receiver in the test process: an HTTP server on a free loopback port that records
/// every POST to `/hook` and answers with the scripted statuses, then 200.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        var headers: [String: String]
        var body: String
        var receivedAt: Date

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    /// Stopping by cancellation makes the server log errors that mean nothing here.
    static let quietLogger: Logger = {
        var logger = Logger(label: "webhook.receiver")
        logger.logLevel = .critical
        return logger
    }()

    /// A test webhook body is small; anything past this is a bug in the sender.
    static let bodyLimit = 65_536

    let port: Int
    private let state: NIOLockedValueBox<(received: [Received], script: [Int])>
    private let task: Task<Void, any Error>

    var url: String { "http://127.0.0.1:\(port)/hook?token=receiver-secret" }
    /// Records the request like `/hook`, then takes a minute to answer.
    var hangingURL: String { "http://127.0.0.1:\(port)/hang" }
    var received: [Received] { state.withLockedValue { $0.received } }

    /// - Parameter statuses: the answers to the first requests, in order; later ones get 200.
    static func start(answering statuses: [Int] = []) async throws -> WebhookReceiver {
        let state = NIOLockedValueBox<(received: [Received], script: [Int])>(([], statuses))
        let router = Router()
        router.post("hang") { request, _ -> Response in
            let body = try await request.body.collect(upTo: Self.bodyLimit)
            state.withLockedValue { $0.received.append(Received(headers: [:], body: String(buffer: body), receivedAt: Date())) }
            try await Task.sleep(for: .seconds(60))
            return Response(status: .ok)
        }
        router.post("hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: Self.bodyLimit)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let status = state.withLockedValue { state in
                state.received.append(Received(headers: headers, body: String(buffer: body), receivedAt: Date()))
                return state.script.isEmpty ? 200 : state.script.removeFirst()
            }
            return Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: "answer \(status) " + String(repeating: "x", count: 4_000))))
        }
        let port = NIOLockedValueBox<Int?>(nil)
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLockedValue { $0 = channel.localAddress?.port } },
            logger: Self.quietLogger
        )
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        // Whether it comes up, not how fast: the whole suite on two cores has kept a bind waiting
        // past 10 s.
        let deadline = ContinuousClock.now + .seconds(60)
        while port.withLockedValue({ $0 }) == nil {
            guard ContinuousClock.now < deadline else {
                task.cancel()
                throw ReceiverError.didNotStart
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return WebhookReceiver(port: port.withLockedValue { $0 }!, state: state, task: task)
    }

    private init(port: Int, state: NIOLockedValueBox<(received: [Received], script: [Int])>, task: Task<Void, any Error>) {
        self.port = port
        self.state = state
        self.task = task
    }

    /// Waits until a request matches, for at most `timeout`.
    func waitFor(
        timeout: Duration = .seconds(30), _ matching: @Sendable (Received) -> Bool
    ) async throws -> Received {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let found = received.first(where: matching) { return found }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ReceiverError.nothingReceived(count: received.count)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    enum ReceiverError: Error {
        case didNotStart
        case nothingReceived(count: Int)
    }
}
