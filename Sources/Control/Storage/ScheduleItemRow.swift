import FluentKit
import Foundation

/// The `schedule_items` table: one row per item of a channel's schedule, `position` its order.
/// `organisation_id` repeats the channel's owner so scoped queries need no join.
final class ScheduleItemRow: Model, @unchecked Sendable {
    static let schema = "schedule_items"

    @ID(key: .id) var id: UUID?
    @Field(key: "channel_id") var channelID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "path") var path: String
    @Field(key: "starts_at") var startsAt: Date

    init() {}

    init(channel: ChannelRow, position: Int, item: ScheduleItem) throws {
        self.id = UUID()
        self.channelID = try channel.requireID()
        self.organisationID = channel.organisationID
        self.position = position
        self.path = item.path
        self.startsAt = item.startsAt
    }

    func record() -> ScheduleItem {
        ScheduleItem(path: path, startsAt: startsAt.millisecondRounded)
    }
}
