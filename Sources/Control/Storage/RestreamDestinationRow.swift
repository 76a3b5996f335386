import FluentKit
import Foundation

/// The `restream_destinations` table. `stream_key` is stored in clear because pushing needs it
/// (as a webhook's secret); it is never part of a record the API shows. The status columns are
/// written by the server that pushes. `organisation_id` repeats the channel's owner so scoped
/// queries need no join.
final class RestreamDestinationRow: Model, @unchecked Sendable {
    static let schema = "restream_destinations"

    @ID(key: .id) var id: UUID?
    @Field(key: "channel_id") var channelID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "url") var url: String
    @OptionalField(key: "stream_key") var streamKey: String?
    @OptionalField(key: "rendition") var rendition: String?
    @Field(key: "configured") var configured: Bool
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "state") var state: String
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "bytes_sent") var bytesSent: Int64
    @Field(key: "dropped_samples") var droppedSamples: Int64
    @OptionalField(key: "status_at") var statusAt: Date?

    init() {}

    init(id: UUID, channel: ChannelRow, destination: NewChannelDestination, configured: Bool, createdAt: Date) throws {
        self.id = id
        self.channelID = try channel.requireID()
        self.organisationID = channel.organisationID
        self.url = destination.url
        self.streamKey = destination.streamKey?.value
        self.rendition = destination.rendition
        self.configured = configured
        self.createdAt = createdAt
        self.state = DestinationStatus.State.idle.rawValue
        self.lastError = nil
        self.bytesSent = 0
        self.droppedSamples = 0
        self.statusAt = nil
    }

    func record() throws(ControlError) -> ChannelDestination {
        guard let state = DestinationStatus.State(rawValue: state) else {
            throw .database("\(Self.schema): unknown state \(state)")
        }
        return ChannelDestination(
            id: try requireRowID(id, Self.schema), channelID: channelID, url: url, rendition: rendition,
            hasStreamKey: streamKey != nil, configured: configured,
            status: DestinationStatus(state: state, lastError: lastError, bytesSent: bytesSent, droppedSamples: droppedSamples,
                updatedAt: statusAt?.millisecondRounded),
            createdAt: createdAt.millisecondRounded
        )
    }
}
