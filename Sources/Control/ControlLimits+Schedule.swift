extension ControlLimits {
    /// Items in a channel's schedule: a week of 10-minute programmes is 1,008. The API's 64 KiB
    /// body (``APILimits/requestBodyBytes``) holds 1,000 items with short paths; longer paths
    /// reach the body limit first.
    public static let scheduleItems = 1_000

    /// A schedule item's path inside the media directory: a few directory levels of NAME_MAX
    /// (255) names fit in 1,024 bytes, while a full schedule stays near the body limit.
    public static let schedulePathLength = 1...1_024

    /// Schedules one server reads in a sync pass: more 24/7 channels than one machine encodes,
    /// so the pass's query stays bounded.
    public static let schedulesPerSync = 1_000
}
