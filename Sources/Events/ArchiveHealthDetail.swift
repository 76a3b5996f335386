import Archive

/// The `detail` of a `channel.unhealthy` event about the archive: its writes fail (the channel
/// still plays live, but its DVR, recordings and clips have a hole), or work again:
///
/// ```json
/// {"healthy":false,"reason":"archive-full","error":"archive store full: ... No space left on device"}
/// {"healthy":false,"reason":"archive-unavailable","error":"archive store unavailable: put ...: connection refused"}
/// {"healthy":true,"reason":"archive"}
/// ```
public struct ArchiveHealthDetail: Encodable, Sendable, Hashable {
    var healthy: Bool
    /// `archive-full` or `archive-unavailable` (also for refused writes); `archive` on recovery.
    var reason: String
    /// The store's error, without credentials (``ArchiveError`` never carries them).
    var error: String?

    /// Longest error text sent.
    static let maximumErrorLength = 300

    public init(_ failure: ArchiveError?) {
        guard let failure else {
            healthy = true
            reason = "archive"
            return
        }
        healthy = false
        if case .full = failure { reason = "archive-full" } else { reason = "archive-unavailable" }
        error = String(failure.description.prefix(Self.maximumErrorLength))
    }
}
