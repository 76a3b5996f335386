import Foundation

/// Checks of recordings and clips.
extension Validate {
    /// An API recording's range: `endsAt` later than `startsAt`, by at most
    /// ``ControlLimits/recordingMaximumDurationSeconds``.
    static func recordingTimes(startsAt: Date, endsAt: Date) throws(ControlError) {
        guard endsAt > startsAt else {
            throw .invalid(field: "endsAt", reason: "must be later than startsAt")
        }
        guard endsAt.timeIntervalSince(startsAt) <= Double(ControlLimits.recordingMaximumDurationSeconds) else {
            throw .invalid(
                field: "endsAt", reason: "a recording lasts at most \(ControlLimits.recordingMaximumDurationSeconds / 86_400) days"
            )
        }
    }

    /// A clip's length in seconds, in ``ControlLimits/clipDurationSeconds``.
    static func clipDuration(_ seconds: Double) throws(ControlError) -> Double {
        let range = ControlLimits.clipDurationSeconds
        guard seconds.isFinite, range.contains(seconds) else {
            throw .invalid(field: "duration", reason: "must be \(Int(range.lowerBound))...\(Int(range.upperBound)) seconds")
        }
        return seconds
    }

    /// A rendition name: `[a-z0-9_-]{1,32}`, as the ladder names its rungs.
    static func rendition(_ value: String) throws(ControlError) -> String {
        let range = ControlLimits.renditionNameLength
        guard range.contains(value.utf8.count),
              value.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D })
        else {
            throw .invalid(
                field: "rendition", reason: "must be \(range.lowerBound)...\(range.upperBound) of a-z, 0-9, '_' and '-'"
            )
        }
        return value
    }

    /// A clip progress report: a fraction in 0...1.
    static func progress(_ value: Double) throws(ControlError) -> Double {
        guard value.isFinite, (0...1).contains(value) else {
            throw .invalid(field: "progress", reason: "must be 0...1")
        }
        return value
    }
}
