import Foundation

/// A channel with a schedule or a slate, as the server's slate player reads it (no scope: the
/// server plays every organisation's channels).
public struct PlayoutChannel: Sendable, Hashable {
    public let channelID: UUID
    public let channelName: String
    /// Empty when it has none.
    public let schedule: ChannelSchedule
    public let slate: ChannelSlate?

    public init(channelID: UUID, channelName: String, schedule: ChannelSchedule, slate: ChannelSlate?) {
        self.channelID = channelID
        self.channelName = channelName
        self.schedule = schedule
        self.slate = slate
    }
}
