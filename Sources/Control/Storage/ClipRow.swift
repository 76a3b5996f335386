import FluentKit
import Foundation

/// The `clips` table. `organisation_id` repeats the channel's owner so scoped queries need no
/// join. `claimed_until` is the lease of the server cutting a `processing` clip; null otherwise.
final class ClipRow: Model, @unchecked Sendable {
    static let schema = "clips"

    @ID(key: .id) var id: UUID?
    @Field(key: "channel_id") var channelID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @OptionalField(key: "recording_id") var recordingID: UUID?
    @OptionalField(key: "title") var title: String?
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    @OptionalField(key: "rendition") var rendition: String?
    @Field(key: "status") var status: String
    @Field(key: "progress") var progress: Double
    @OptionalField(key: "size") var size: Int64?
    @OptionalField(key: "error") var error: String?
    @OptionalField(key: "claimed_until") var claimedUntil: Date?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "ready_at") var readyAt: Date?

    init() {}

    init(
        id: UUID, channelID: UUID, organisationID: UUID, recordingID: UUID?, title: String?,
        startsAt: Date, endsAt: Date, rendition: String?, createdAt: Date
    ) {
        self.id = id
        self.channelID = channelID
        self.organisationID = organisationID
        self.recordingID = recordingID
        self.title = title
        self.startsAt = startsAt.millisecondRounded
        self.endsAt = endsAt.millisecondRounded
        self.rendition = rendition
        self.status = ClipStatus.pending.rawValue
        self.progress = 0
        self.size = nil
        self.error = nil
        self.claimedUntil = nil
        self.createdAt = createdAt.millisecondRounded
        self.readyAt = nil
    }

    func record() throws(ControlError) -> Clip {
        guard let status = ClipStatus(rawValue: status) else {
            throw .database("\(Self.schema): unknown status \(status)")
        }
        return Clip(
            id: try requireRowID(id, Self.schema), channelID: channelID, recordingID: recordingID, title: title,
            start: startsAt.millisecondRounded, end: endsAt.millisecondRounded, rendition: rendition,
            status: status, progress: progress, size: size, error: error,
            createdAt: createdAt.millisecondRounded, readyAt: readyAt?.millisecondRounded
        )
    }
}
