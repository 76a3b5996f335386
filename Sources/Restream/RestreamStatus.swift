/// What a destination's push is doing, for the API.
public struct RestreamStatus: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable {
        /// The channel is not live (or has nothing this destination can push): nothing to send.
        case idle
        /// FFmpeg runs and has not written to the destination yet.
        case connecting
        /// Bytes are going out.
        case pushing
        /// The last push failed; the next attempt is scheduled.
        case retrying
    }

    public var state: State = .idle
    /// The last failure, one line, secrets masked; kept after a recovery so it can be looked up.
    public var lastError: String?
    /// Bytes written to the destination over every attempt (FFmpeg's `total_size`).
    public var bytesSent: Int64 = 0
    /// Pushes started, and started again after a failure.
    public var starts = 0
    public var restarts = 0
    /// Source samples not handed to FFmpeg because it fell too far behind (a slow destination),
    /// or not muxable.
    public var droppedSamples = 0

    public init() {}

    /// The longest ``lastError`` kept: one line of FFmpeg's, which are a few hundred bytes.
    public static let maximumErrorLength = 300
}
