/// Why an archive operation failed. Each case says what to do about it: a full store and an
/// unavailable one are retried with backoff; the others are bugs or bad configuration.
public enum ArchiveError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A key with characters or components an archive key may not have.
    case invalidKey(String)
    /// No space left (ENOSPC, EDQUOT, or S3's quota answers).
    case full(String)
    /// The store did not answer or answered with an error that may pass (S3 5xx, timeouts,
    /// connection refused, I/O errors).
    case unavailable(String)
    /// The store refused the request for good (S3 403, a bad bucket): configuration.
    case refused(String)
    /// A response or file that is not what the store should hold (a malformed listing, an object
    /// over the size limit).
    case malformed(String)

    public var description: String {
        switch self {
        case .invalidKey(let key): "invalid archive key '\(key.prefix(80))'"
        case .full(let detail): "archive store full: \(detail)"
        case .unavailable(let detail): "archive store unavailable: \(detail)"
        case .refused(let detail): "archive store refused the request: \(detail)"
        case .malformed(let detail): "malformed archive data: \(detail)"
        }
    }
}
