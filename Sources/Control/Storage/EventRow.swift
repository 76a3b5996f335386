import FluentKit
import Foundation

/// The `events` table. `organisation_id` repeats the channel's owner so scoped queries need no join.
final class EventRow: Model, @unchecked Sendable {
    static let schema = "events"

    @ID(key: .id) var id: UUID?
    @Field(key: "channel_id") var channelID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "title") var title: String
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    @OptionalField(key: "poster_url") var posterURL: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(id: UUID, channelID: UUID, organisationID: UUID, event: NewEvent, createdAt: Date) {
        self.id = id
        self.channelID = channelID
        self.organisationID = organisationID
        self.title = event.title
        self.startsAt = event.startsAt.millisecondRounded
        self.endsAt = event.endsAt.millisecondRounded
        self.posterURL = event.posterURL
        self.createdAt = createdAt
    }

    func record() throws(ControlError) -> Event {
        Event(
            id: try requireRowID(id, Self.schema), channelID: channelID, title: title,
            startsAt: startsAt.millisecondRounded, endsAt: endsAt.millisecondRounded, posterURL: posterURL,
            createdAt: createdAt.millisecondRounded
        )
    }
}
