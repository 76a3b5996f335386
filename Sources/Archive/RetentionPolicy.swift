/// How much of a channel's archive is kept: segments older than `maximumAge`, and the oldest
/// segments beyond `maximumBytes` (all renditions together), are deleted, oldest first. Either or
/// both may be absent; with neither, everything is kept.
public struct RetentionPolicy: Sendable, Hashable {
    /// Milliseconds.
    public var maximumAge: Int64?
    public var maximumBytes: Int64?

    public init(maximumAge: Int64? = nil, maximumBytes: Int64? = nil) {
        self.maximumAge = maximumAge
        self.maximumBytes = maximumBytes
    }

    public static let keepEverything = RetentionPolicy()

    public var keepsEverything: Bool { maximumAge == nil && maximumBytes == nil }
}
