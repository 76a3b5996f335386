import AsyncHTTPClient
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// The origins an edge pulls from, in the order given, and the one every pull uses now. A pull
/// that finds the current origin failing moves every pull to the next one
/// (``failover(from:)``); the origins number their segments identically, so the pull carries on
/// from the same numbers.
public final class OriginPool: Sendable {
    /// Base URLs (`http://host:port`, no trailing slash).
    public let origins: [String]
    let client: HTTPClient
    let statistics: EdgeStatistics
    private let current = NIOLockedValueBox(0)
    private let logger: Logger

    /// What an origin answered.
    struct Answer: Sendable {
        var status: Int
        var body: ByteBuffer
        var contentType: String?
        var cacheControl: String?

        var isOK: Bool { status == 200 }
    }

    public init(origins: [String], client: HTTPClient, statistics: EdgeStatistics, logger: Logger) {
        self.origins = origins.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.client = client
        self.statistics = statistics
        self.logger = logger
    }

    /// The origin pulls use now.
    var index: Int { current.withLockedValue { $0 } }

    /// Origin `index` failed: every pull moves to the next origin, unless another pull moved
    /// them already.
    func failover(from index: Int, because error: EdgeError) {
        let moved: Bool = current.withLockedValue { current in
            guard current == index, origins.count > 1 else { return false }
            current = (index + 1) % origins.count
            return true
        }
        statistics.count(moved ? \.failovers : \.upstreamFailures)
        if moved {
            logger.warning("origin failed: pulling from the next one", metadata: [
                "failed": "\(origins[index])", "next": "\(origins[(index + 1) % origins.count])", "error": "\(error)",
            ])
        } else {
            logger.debug("origin request failed", metadata: ["error": "\(error)"])
        }
    }

    /// `GET {origin}{path}?{query}` from origin `index`: its status and body, the body at most
    /// `limit` bytes, the whole answer within `timeout`.
    func get(_ path: String, query: String?, from index: Int, timeout: Duration, limit: Int) async throws(EdgeError) -> Answer {
        let url = origins[index] + path
        let request = HTTPClientRequest(url: query.map { "\(url)?\($0)" } ?? url)
        statistics.count(\.upstreamRequests)
        do {
            let response = try await client.execute(request, timeout: TimeAmount(timeout))
            let body = try await response.body.collect(upTo: limit)
            statistics.add(bytes: body.readableBytes)
            return Answer(
                status: Int(response.status.code), body: body,
                contentType: response.headers.first(name: "content-type"),
                cacheControl: response.headers.first(name: "cache-control"))
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw .overdue(url: url)
        } catch is NIOTooManyBytesError {
            throw .tooLarge(url: url, what: "answer", limit: limit)
        } catch {
            throw .transport(url: url, reason: "\(error)")
        }
    }
}
