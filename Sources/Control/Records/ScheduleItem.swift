import Foundation

/// One programme of a channel's schedule (file playout): a file of the server's media directory,
/// named by its path inside it, that plays from `startsAt` until the next item's start.
public struct ScheduleItem: Sendable, Hashable, Codable {
    /// Relative to the media directory (`promo/a.mp4`).
    public var path: String
    /// Wall-clock start, to the millisecond.
    public var startsAt: Date

    public init(path: String, startsAt: Date) {
        self.path = path
        self.startsAt = startsAt
    }

    /// Wall-clock milliseconds since its start at `time` (negative before it).
    public func elapsedMilliseconds(at time: Date) -> Int64 {
        Int64(((time.timeIntervalSince1970 - startsAt.timeIntervalSince1970) * 1_000).rounded(.down))
    }
}
