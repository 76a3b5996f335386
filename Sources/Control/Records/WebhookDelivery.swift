import Foundation

/// One event to POST to one webhook, kept in the database (an outbox) so a restart loses nothing.
public struct WebhookDelivery: Sendable, Hashable, Identifiable, Codable {
    public let id: UUID
    public let webhookID: UUID
    public let event: WebhookEvent
    /// JSON text, at most ``ControlLimits/webhookPayloadBytes``.
    public let payload: String
    /// Failed attempts so far.
    public let attempts: Int
    /// When the next attempt is due; meaningless once delivered or given up.
    public let nextAttemptAt: Date
    public let lastError: String?
    public let deliveredAt: Date?
    /// Set when ``ControlLimits/webhookMaximumAttempts`` attempts have failed.
    public let gaveUpAt: Date?
    public let createdAt: Date

    public init(
        id: UUID, webhookID: UUID, event: WebhookEvent, payload: String, attempts: Int,
        nextAttemptAt: Date, lastError: String?, deliveredAt: Date?, gaveUpAt: Date?, createdAt: Date
    ) {
        self.id = id
        self.webhookID = webhookID
        self.event = event
        self.payload = payload
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.deliveredAt = deliveredAt
        self.gaveUpAt = gaveUpAt
        self.createdAt = createdAt
    }

    public enum State: String, Sendable, Hashable, Codable {
        case pending, delivered, gaveUp
    }

    public var state: State {
        if deliveredAt != nil { return .delivered }
        if gaveUpAt != nil { return .gaveUp }
        return .pending
    }
}

/// A delivery that is due, with what the sender needs: where to POST and the key to sign with.
public struct DueDelivery: Sendable, Hashable {
    public let delivery: WebhookDelivery
    public let url: String
    public let secret: Secret
}

/// The retry schedule a sender should use with `markFailed(nextAttemptAt:)`: 10 s after the first
/// failure, doubling, capped at 4 hours (so ``ControlLimits/webhookMaximumAttempts`` attempts span
/// about a day).
public enum WebhookBackoff {
    public static let firstDelaySeconds: Double = 10
    public static let maximumDelaySeconds: Double = 4 * 3600

    /// The delay before the next attempt, after `attempts` failed ones (1 for the first failure).
    public static func delay(afterAttempts attempts: Int) -> Double {
        let exponent = max(0, min(attempts - 1, 30))
        return min(firstDelaySeconds * Double(1 << exponent), maximumDelaySeconds)
    }
}
