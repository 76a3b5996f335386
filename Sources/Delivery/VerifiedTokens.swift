import Synchronization

/// Tokens whose MAC has been checked, with what they grant. A player sends the same token with
/// every playlist, segment and part, so the HMAC runs once per token rather than once per
/// request; a cached token is still checked for its channel and expiry on every use.
///
/// Keyed by the token's exact text: the same text carries the same MAC, so it verifies the same
/// way for as long as the server holds the same keys (they change only with a restart).
final class VerifiedTokens: Sendable {
    struct Grant: Sendable {
        var channel: String
        var expiresAt: Int64
    }

    /// Distinct tokens remembered: one per viewer session, so this covers ~16k concurrent viewers
    /// per server before it starts again from empty (then each token is verified once more).
    static let capacity = 16_384

    private let grants = Mutex<[String: Grant]>([:])

    func grant(for token: String) -> Grant? {
        grants.withLock { $0[token] }
    }

    func remember(_ token: String, _ grant: Grant) {
        grants.withLock { grants in
            if grants.count >= Self.capacity { grants.removeAll(keepingCapacity: true) }
            grants[token] = grant
        }
    }
}
