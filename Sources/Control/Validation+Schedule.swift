import Foundation

extension Validate {
    /// A schedule to store: at most ``ControlLimits/scheduleItems`` items, each a relative path
    /// (no leading '/', no '..' component, no control characters) of
    /// ``ControlLimits/schedulePathLength`` bytes, starts strictly increasing once rounded to the
    /// millisecond (as they are stored). Whether the file is there is the media library's to say
    /// (``MediaLibrary/resolve(_:)``).
    static func schedule(_ items: [ScheduleItem]) throws(ControlError) -> [ScheduleItem] {
        guard items.count <= ControlLimits.scheduleItems else {
            throw .invalid(field: "items", reason: "at most \(ControlLimits.scheduleItems) items")
        }
        var valid: [ScheduleItem] = []
        for (index, item) in items.enumerated() {
            let field = "items[\(index)]"
            try MediaLibrary.checkRelative(item.path, field: field + ".path")
            let start = item.startsAt.millisecondRounded
            if let previous = valid.last, start <= previous.startsAt {
                throw .invalid(field: field + ".startsAt", reason: "must be later than the previous item's start")
            }
            valid.append(ScheduleItem(path: item.path, startsAt: start))
        }
        return valid
    }
}
