import Foundation

/// A channel with a schedule, as the server's playout reads it (no scope: the server plays every
/// organisation's channels).
public struct ScheduledChannel: Sendable, Hashable {
    public let channelID: UUID
    public let channelName: String
    public let schedule: ChannelSchedule

    public init(channelID: UUID, channelName: String, schedule: ChannelSchedule) {
        self.channelID = channelID
        self.channelName = channelName
        self.schedule = schedule
    }
}
