import Foundation

/// A scheduled programme on a channel (a talk, a match), for guides, start-over and replays.
public struct Event: Sendable, Hashable, Identifiable, Codable {
    public let id: UUID
    public let channelID: UUID
    public var title: String
    public var startsAt: Date
    /// Always later than `startsAt`.
    public var endsAt: Date
    /// An http(s) image URL.
    public var posterURL: String?
    public let createdAt: Date

    public init(
        id: UUID, channelID: UUID, title: String, startsAt: Date, endsAt: Date,
        posterURL: String?, createdAt: Date
    ) {
        self.id = id
        self.channelID = channelID
        self.title = title
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.posterURL = posterURL
        self.createdAt = createdAt
    }
}

/// The fields of an event to create.
public struct NewEvent: Sendable, Hashable {
    public var title: String
    public var startsAt: Date
    public var endsAt: Date
    public var posterURL: String?

    public init(title: String, startsAt: Date, endsAt: Date, posterURL: String? = nil) {
        self.title = title
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.posterURL = posterURL
    }
}

/// A partial change to an event: `nil` leaves a field as it is. `posterURL` is doubly optional:
/// `.some(nil)` removes the poster.
public struct EventUpdate: Sendable, Hashable {
    public var title: String?
    public var startsAt: Date?
    public var endsAt: Date?
    public var posterURL: String??

    public init(title: String? = nil, startsAt: Date? = nil, endsAt: Date? = nil, posterURL: String?? = nil) {
        self.title = title
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.posterURL = posterURL
    }
}
