/// What goes wrong in restreaming, with its context. Never carries a stream key.
public enum RestreamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A destination URL or stream key that cannot be pushed to.
    case invalidDestination(String)
    /// The channel's tracks cannot be pushed as they are (no video, a codec the destination's
    /// container does not carry, no rendition of that name).
    case unsupportedSource(String)

    public var description: String {
        switch self {
        case .invalidDestination(let reason): "invalid restream destination: \(reason)"
        case .unsupportedSource(let reason): "cannot restream this source: \(reason)"
        }
    }
}
