import Foundation

/// What a valid stream key grants: publishing to its channel. The server keeps `keyID` with the
/// publish, so revoking the key ends it.
public struct PublishRight: Sendable, Hashable {
    public let channel: Channel
    public let keyID: UUID
    /// The channel's input the key publishes.
    public let role: StreamKeyRole

    public init(channel: Channel, keyID: UUID, role: StreamKeyRole = .primary) {
        self.channel = channel
        self.keyID = keyID
        self.role = role
    }
}
