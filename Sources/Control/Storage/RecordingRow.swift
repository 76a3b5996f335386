import FluentKit
import Foundation

/// The `recordings` table. `organisation_id` repeats the channel's owner so scoped queries need no
/// join; `ends_at` is null while a session recording is open.
final class RecordingRow: Model, @unchecked Sendable {
    static let schema = "recordings"

    @ID(key: .id) var id: UUID?
    @Field(key: "channel_id") var channelID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "title") var title: String
    @Field(key: "starts_at") var startsAt: Date
    @OptionalField(key: "ends_at") var endsAt: Date?
    @Field(key: "origin") var origin: String
    @OptionalField(key: "event_id") var eventID: UUID?
    @Field(key: "retain") var retain: Bool
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(
        id: UUID, channelID: UUID, organisationID: UUID, title: String, startsAt: Date, endsAt: Date?,
        origin: RecordingOrigin, eventID: UUID?, retain: Bool, createdAt: Date
    ) {
        self.id = id
        self.channelID = channelID
        self.organisationID = organisationID
        self.title = title
        self.startsAt = startsAt.millisecondRounded
        self.endsAt = endsAt?.millisecondRounded
        self.origin = origin.rawValue
        self.eventID = eventID
        self.retain = retain
        self.createdAt = createdAt.millisecondRounded
    }

    func record() throws(ControlError) -> Recording {
        guard let origin = RecordingOrigin(rawValue: origin) else {
            throw .database("\(Self.schema): unknown origin \(origin)")
        }
        return Recording(
            id: try requireRowID(id, Self.schema), channelID: channelID, title: title,
            startsAt: startsAt.millisecondRounded, endsAt: endsAt?.millisecondRounded, origin: origin,
            eventID: eventID, retain: retain, createdAt: createdAt.millisecondRounded
        )
    }
}
