import Foundation

/// The time range of a start-over (`?start=`) or catch-up (`?start=&end=`) request, in Unix
/// milliseconds. The times are ISO 8601 with a zone (`2026-11-22T20:00:00Z`,
/// `2026-11-22T21:00:00.500+01:00`); derived URIs carry them on in UTC with milliseconds.
struct ArchiveRange: Sendable, Hashable {
    var start: Int64
    /// nil for start-over: the range follows the live edge.
    var end: Int64?

    /// How far before a range's start a segment that overlaps it may begin: segments are cut on
    /// key frames, and encoders space those 10 s apart at the most we expect; a minute is ample.
    static let segmentReach: Int64 = 60_000

    /// Longest time accepted: `2026-11-22T21:00:00.000000+01:00` is 32 characters.
    static let maximumTimeLength = 40
    /// Longest range: as far as ``PlaybackRoutes/maximumDVRSeconds`` reaches back.
    static let maximumMilliseconds = Int64(PlaybackRoutes.maximumDVRSeconds) * 1000

    enum Failure: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        case endWithoutStart
        case empty
        case tooLong
        case inTheFuture

        var description: String {
            switch self {
            case .unreadable(let name): "\(name) wants an ISO 8601 time with a zone, such as 2026-11-22T20:00:00Z"
            case .endWithoutStart: "end needs a start"
            case .empty: "end must be after start"
            case .tooLong: "a range spans at most \(PlaybackRoutes.maximumDVRSeconds / 86_400) days"
            case .inTheFuture: "start is in the future"
            }
        }
    }

    /// The range a request's `start` and `end` ask for, nil if neither is there.
    static func parse(start: String?, end: String?, now: Int64) throws(Failure) -> ArchiveRange? {
        guard let start else {
            if end != nil { throw .endWithoutStart }
            return nil
        }
        guard let from = time(start) else { throw .unreadable("start") }
        guard from <= now else { throw .inTheFuture }
        guard let end else {
            guard now - from <= maximumMilliseconds else { throw .tooLong }
            return ArchiveRange(start: from, end: nil)
        }
        guard let to = time(end) else { throw .unreadable("end") }
        guard from < to else { throw .empty }
        guard to - from <= maximumMilliseconds else { throw .tooLong }
        return ArchiveRange(start: from, end: to)
    }

    /// Unix ms of an ISO 8601 date-time with a zone; nil if it is not one.
    static func time(_ text: String) -> Int64? {
        guard text.utf8.count <= maximumTimeLength else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }

    static func format(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// `start=…[&end=…]`, for the URIs a playlist derives.
    var query: String {
        "start=\(Self.format(start))" + (end.map { "&end=\(Self.format($0))" } ?? "")
    }

    /// Whether a segment of this wall-clock time and length overlaps the range.
    func overlaps(programDateTime: Int64, milliseconds: Int64, now: Int64) -> Bool {
        programDateTime + max(milliseconds, 1) > start && programDateTime < (end ?? now)
    }
}
