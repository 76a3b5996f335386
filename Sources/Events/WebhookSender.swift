import AsyncHTTPClient
import Control
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// Delivers the control plane's webhook outbox: at once when an event is enqueued, when the next
/// retry is due, and at least every ``WebhookDeliveryConfiguration/pollInterval``, it takes the due
/// deliveries, POSTs each signed (``WebhookSignature``), and records the outcome. Deliveries live
/// in the database, so a restart loses none; delivery is at least once. Every server on a database
/// runs a sender; each delivery is claimed by one of them.
public final class WebhookSender: Service, Sendable {
    private let store: ControlStore
    private let configuration: WebhookDeliveryConfiguration
    private let client: HTTPClient
    private let logger: Logger
    /// Bumped when an event is enqueued here.
    private let pokes = Counter()

    public init(store: ControlStore, configuration: WebhookDeliveryConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.client = HTTPClient(
            eventLoopGroup: eventLoopGroup,
            configuration: HTTPClient.Configuration(
                // A receiver that redirects is misconfigured; following it would send the signed
                // event somewhere nobody registered.
                redirectConfiguration: .disallow,
                timeout: .init(connect: configuration.requestTimeout, read: configuration.requestTimeout)
            ),
            backgroundActivityLogger: logger
        )
    }

    /// Asks for an outbox read now (after an enqueue).
    func poke() {
        pokes.increment()
    }

    /// Queues `event` for the organisation's subscribed webhooks and sends at once. Failures to
    /// queue are logged: an event lost here must not stop the media path.
    func enqueue(_ event: WebhookEvent, organisation: UUID, payload: String) async {
        do {
            let created = try await store.enqueue(event, organisation: organisation, payload: payload)
            if !created.isEmpty { poke() }
        } catch {
            logger.error("webhook event not queued", metadata: ["event": "\(event.rawValue)", "error": "\(error)"])
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let seen = self.pokes.value
                await self.deliverDue()
                await self.pokes.wait(whileEqualTo: seen, timeout: await self.untilNextDue())
            }
        }
        try await client.shutdown()
    }

    /// How long until the next pending delivery is due, at most the poll interval (which finds
    /// the deliveries other servers queued and did not send).
    private func untilNextDue() async -> Duration {
        let poll = configuration.pollInterval
        let due: Date?
        do {
            due = try await store.nextDeliveryDue()
        } catch {
            // The outbox read just before failed the same way and said so.
            logger.debug("webhook outbox unreadable", metadata: ["error": "\(error)"])
            return poll
        }
        guard let due else { return poll }
        return min(poll, .milliseconds(max(0, Int64(due.timeIntervalSinceNow * 1000))))
    }

    /// Sends everything due, batch after batch.
    func deliverDue() async {
        while !Task.isCancelled {
            let due: [DueDelivery]
            do {
                due = try await store.claimDueDeliveries(limit: configuration.batchSize, lease: configuration.claimLease)
            } catch {
                logger.error("webhook outbox unreadable", metadata: ["error": "\(error)"])
                return
            }
            if due.isEmpty { return }
            await withTaskGroup(of: Void.self) { group in
                for delivery in due {
                    group.addTask { await self.send(delivery) }
                }
            }
            if due.count < configuration.batchSize { return }
        }
    }

    private func send(_ due: DueDelivery) async {
        let delivery = due.delivery
        let body = Array(delivery.payload.utf8)
        var request = HTTPClientRequest(url: due.url)
        request.method = .POST
        for header in WebhookSignature.headers(
            event: delivery.event, deliveryID: delivery.id, body: body, secret: due.secret, now: Date()
        ) {
            request.headers.add(name: header.name, value: header.value)
        }
        request.headers.add(name: "User-Agent", value: "Antenne-Webhooks/1")
        request.body = .bytes(ByteBuffer(bytes: body))
        var metadata: Logger.Metadata = [
            "delivery": "\(delivery.id)", "event": "\(delivery.event.rawValue)",
            "url": "\(Self.redacted(due.url))", "attempt": "\(delivery.attempts + 1)",
        ]
        let failure: String
        do {
            let response = try await client.execute(request, timeout: configuration.requestTimeout)
            let excerpt = try await Self.read(response.body, limit: configuration.responseBodyLimit)
            if (200..<300).contains(response.status.code) {
                do {
                    try await store.markDelivered(id: delivery.id)
                    logger.debug("webhook delivered", metadata: metadata)
                } catch {
                    metadata["error"] = "\(error)"
                    logger.error("webhook delivered but not recorded; it will be sent again", metadata: metadata)
                }
                return
            }
            metadata["status"] = "\(response.status.code)"
            failure = "HTTP \(response.status.code)" + (excerpt.isEmpty ? "" : ": \(excerpt)")
        } catch {
            if Task.isCancelled { return }  // shutting down: the delivery stays due
            failure = "\(error)"
            metadata["error"] = "\(error)"
        }
        let attempts = delivery.attempts + 1
        let next = Date().addingTimeInterval(configuration.backoff(attempts))
        do {
            let updated = try await store.markFailed(id: delivery.id, nextAttemptAt: next, error: failure)
            if updated.state == .gaveUp {
                logger.warning("webhook delivery given up", metadata: metadata)
            } else {
                logger.info("webhook delivery failed; will retry", metadata: metadata)
            }
        } catch {
            metadata["storeError"] = "\(error)"
            logger.error("webhook failure not recorded", metadata: metadata)
        }
    }

    /// The first `limit` bytes of a body as text (for the delivery log); the rest is not read.
    private static func read(_ body: HTTPClientResponse.Body, limit: Int) async throws -> String {
        var kept: [UInt8] = []
        for try await buffer in body {
            kept.append(contentsOf: buffer.readableBytesView.prefix(limit - kept.count))
            if kept.count >= limit { break }
        }
        return String(decoding: kept, as: UTF8.self)
    }

    /// A URL fit for a log line: scheme, host, port and path; no user info, query or fragment,
    /// which may carry a receiver's token.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(unparsable URL)" }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? "(unparsable URL)"
    }
}
