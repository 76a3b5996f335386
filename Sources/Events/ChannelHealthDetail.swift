import Hub

/// The `detail` of a `channel.unhealthy` event. An episode opens with `"healthy": false` and
/// closes with `"healthy": true` and the same `reason` (unless the stream stops first):
///
/// ```json
/// {"healthy":false,"reason":"no-video","secondsWithoutVideo":5}
/// {"averageKbps":2480,"healthy":false,"measuredKbps":120,"reason":"bitrate-collapse","windowSeconds":5}
/// {"healthy":true,"reason":"no-video","unhealthySeconds":42}
/// ```
///
/// Bitrates are the video's, in kbit/s (1 000 bit/s), rounded down; seconds are whole, rounded down.
public struct ChannelHealthDetail: Encodable, Sendable, Hashable {
    var healthy: Bool
    /// `no-video` or `bitrate-collapse`.
    var reason: String
    var secondsWithoutVideo: Int64?
    /// The video bitrate over the last `windowSeconds`.
    var measuredKbps: Int64?
    /// The session's average video bitrate before the collapse.
    var averageKbps: Int64?
    var windowSeconds: Int?
    /// On recovery: since the last video frame (no video) or the start of the window that collapsed.
    var unhealthySeconds: Int64?

    public init(_ action: ChannelHealthMonitor.Action, configuration: ChannelHealthMonitor.Configuration) {
        switch action {
        case .noVideo(let duration):
            self.init(healthy: false, reason: Self.name(.noVideo))
            secondsWithoutVideo = duration.components.seconds
        case .bitrateCollapsed(let measured, let average):
            self.init(healthy: false, reason: Self.name(.bitrateCollapse))
            measuredKbps = measured / 1_000
            averageKbps = average / 1_000
            windowSeconds = configuration.bitrateWindowSeconds
        case .recovered(let reason, let duration):
            self.init(healthy: true, reason: Self.name(reason))
            unhealthySeconds = duration.components.seconds
        }
    }

    private init(healthy: Bool, reason: String) {
        self.healthy = healthy
        self.reason = reason
    }

    static func name(_ reason: ChannelHealthMonitor.Reason) -> String {
        switch reason {
        case .noVideo: "no-video"
        case .bitrateCollapse: "bitrate-collapse"
        }
    }
}
