/// Decides who may publish. The server wires the configured channels (and later the control plane).
public protocol PublishAuthorizer: Sendable {
    /// The public channel name a secret stream key publishes to, or nil to refuse the key.
    func channelName(forStreamKey key: String) async -> String?
}
