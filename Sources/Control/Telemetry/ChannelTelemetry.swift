/// What the running server measures, for the monitoring routes of the API (`channels/{id}/live`,
/// `channels/{id}/history`, `server`): the control plane holds no media state, so the server
/// hands it a source of figures. Channels are named as the hub names them (their public name).
public protocol ChannelTelemetry: Sendable {
    /// The channel's figures now.
    func live(channel: String) async -> LiveStatus
    /// The channel's samples, oldest first.
    func history(channel: String) async -> TelemetryHistory
    /// The host's and the server's figures now.
    func server() async -> ServerStatus
}

/// A server that measures nothing (the API alone, in tests): every channel offline, no history.
public struct NoTelemetry: ChannelTelemetry {
    public init() {}

    public func live(channel: String) async -> LiveStatus { LiveStatus(live: false) }
    public func history(channel: String) async -> TelemetryHistory { TelemetryHistory(intervalSeconds: 10, samples: []) }
    public func server() async -> ServerStatus { ServerStatus() }
}
