import AsyncHTTPClient
import NIOCore
import NIOPosix

/// A viewer's requests, over one shared client.
enum HTTP {
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }()

    struct Answer: Sendable {
        var status: Int
        var body: ByteBuffer
        var cacheControl: String? = nil
        var text: String { String(buffer: body) }
    }

    static func get(_ url: String, timeout: Duration = .seconds(20)) async throws -> Answer {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .init(timeout))
        return Answer(status: Int(response.status.code), body: try await response.body.collect(upTo: 64 << 20),
                      cacheControl: response.headers.first(name: "cache-control"))
    }

    /// Waits until something answers HTTP on `port`.
    static func waitForPort(_ port: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if (try? await get("http://127.0.0.1:\(port)/healthz", timeout: .seconds(1))) != nil { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("nothing answers on port \(port)")
    }
}
