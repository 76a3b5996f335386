import Control
import NIOCore

/// How the server sends webhook deliveries. The defaults suit production; tests shorten the
/// backoff.
public struct WebhookDeliveryConfiguration: Sendable {
    /// How often the outbox is read when no event pokes the sender and no retry is due sooner:
    /// this finds the deliveries another server on the same database queued and could not send.
    public var pollInterval: Duration = .seconds(30)
    /// Deliveries taken per outbox read. They are sent concurrently, so this also bounds the
    /// requests in flight.
    public var batchSize = 32
    /// A receiver has this long to answer, body included (GitHub's webhooks wait 10 s too).
    public var requestTimeout: TimeAmount = .seconds(10)
    /// Bytes of a failed response's body that are read and kept in the delivery's `lastError`
    /// (which the store cuts to ``ControlLimits/webhookErrorLength`` anyway); the rest is not read.
    /// Bodies are never logged.
    public var responseBodyLimit = 1_024
    /// Seconds a claimed delivery stays with its sender. Longer than a request may take, so a
    /// delivery is sent twice only if its sender died while sending it.
    public var claimLease: Double = 60
    /// Seconds to wait after the n-th failed attempt (1 for the first).
    public var backoff: @Sendable (Int) -> Double = { WebhookBackoff.delay(afterAttempts: $0) }

    public init() {}
}
