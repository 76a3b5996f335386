/// How the tracker is set up: which channels have P2P, and the ICE servers players are told of.
public struct TrackerConfiguration: Sendable {
    /// Whether a channel has P2P on. Off unless the channel's configuration or its API resource
    /// turns it on: P2P shows viewers' addresses to each other. Asked on every join.
    public var isEnabled: @Sendable (String) -> Bool
    /// Sent to every peer that joins.
    public var ice: TrackerEvent.ICE

    public init(isEnabled: @escaping @Sendable (String) -> Bool, ice: TrackerEvent.ICE = .init()) {
        self.isEnabled = isEnabled
        self.ice = ice
    }
}
