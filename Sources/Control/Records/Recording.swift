import Foundation

/// Why a recording exists.
public enum RecordingOrigin: String, Sendable, Hashable, Codable, CaseIterable {
    /// Made by the server for one publish session, from the first segment to the disconnect.
    case session
    /// Made with an event, over the event's time range, and moved with it.
    case event
    /// Made through the REST API.
    case api
}

/// A named time range of a channel's archive: a replay served as VOD at ``playbackPath``.
///
/// A retained recording pins its range against the channel's archive retention; the others (by
/// default the session recordings) expire with the archive.
public struct Recording: Sendable, Hashable, Identifiable, Codable {
    public let id: UUID
    public let channelID: UUID
    public var title: String
    public var startsAt: Date
    /// `nil` while a session recording is still being recorded; otherwise not earlier than
    /// `startsAt` (and later than it for event and API recordings).
    public var endsAt: Date?
    public let origin: RecordingOrigin
    /// The event of an `.event` recording; `nil` once the event is deleted (the replay stays).
    public var eventID: UUID?
    /// Whether the recording pins its range against retention.
    public var retain: Bool
    public let createdAt: Date

    public init(
        id: UUID, channelID: UUID, title: String, startsAt: Date, endsAt: Date?,
        origin: RecordingOrigin, eventID: UUID?, retain: Bool, createdAt: Date
    ) {
        self.id = id
        self.channelID = channelID
        self.title = title
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.origin = origin
        self.eventID = eventID
        self.retain = retain
        self.createdAt = createdAt
    }

    /// The multivariant playlist of the replay, on the delivery server: `/vod/{id}/master.m3u8`.
    public var playbackPath: String { "/vod/\(id.uuidString.lowercased())/master.m3u8" }
}

/// The fields of a recording to create through the API (origin `.api`).
public struct NewRecording: Sendable, Hashable {
    public var title: String
    public var startsAt: Date
    public var endsAt: Date
    public var retain: Bool

    public init(title: String, startsAt: Date, endsAt: Date, retain: Bool = true) {
        self.title = title
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.retain = retain
    }
}

/// A partial change to a recording: `nil` leaves a field as it is. Only `.api` recordings can
/// change their times; an event's recording follows the event, a session's is the session.
public struct RecordingUpdate: Sendable, Hashable {
    public var title: String?
    public var retain: Bool?
    public var startsAt: Date?
    public var endsAt: Date?

    public init(title: String? = nil, retain: Bool? = nil, startsAt: Date? = nil, endsAt: Date? = nil) {
        self.title = title
        self.retain = retain
        self.startsAt = startsAt
        self.endsAt = endsAt
    }
}
