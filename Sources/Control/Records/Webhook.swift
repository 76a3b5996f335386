import Foundation

/// The events a webhook can subscribe to. The raw values are the `event` names receivers see.
public enum WebhookEvent: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case streamStarted = "stream.started"
    case streamStopped = "stream.stopped"
    case transcoderFailed = "transcoder.failed"
    case channelUnhealthy = "channel.unhealthy"
    /// A clip job ended: the clip is ready or failed. The payload adds a `clip` object (id, status,
    /// size, error, downloadPath, playlistPath) to the `stream.*` fields.
    case clipReady = "clip.ready"
    /// An ad break or a programme started on a channel: its segment was cut. The payload's
    /// `detail` is the marker (id, kind, start, duration, scte35).
    case channelMarker = "channel.marker"

    public static func < (lhs: WebhookEvent, rhs: WebhookEvent) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// An organisation's webhook: a URL that receives signed POSTs for the events it subscribes to.
/// The signing secret is stored (it is needed to sign) but is not part of this record.
public struct Webhook: Sendable, Hashable, Identifiable, Codable {
    public let id: UUID
    public let organisationID: UUID
    /// An http or https URL.
    public var url: String
    /// Never empty.
    public var events: Set<WebhookEvent>
    /// An inactive webhook gets no new deliveries, and its pending ones wait.
    public var active: Bool
    public let createdAt: Date

    public init(
        id: UUID, organisationID: UUID, url: String, events: Set<WebhookEvent>,
        active: Bool, createdAt: Date
    ) {
        self.id = id
        self.organisationID = organisationID
        self.url = url
        self.events = events
        self.active = active
        self.createdAt = createdAt
    }
}

/// A webhook just created: the record and its signing secret (`whsec_...`), shown this once.
public struct CreatedWebhook: Sendable, Hashable {
    public let webhook: Webhook
    public let secret: Secret
}

/// The fields of a webhook to create.
public struct NewWebhook: Sendable, Hashable {
    public var url: String
    public var events: Set<WebhookEvent>
    public var active: Bool

    public init(url: String, events: Set<WebhookEvent>, active: Bool = true) {
        self.url = url
        self.events = events
        self.active = active
    }
}

/// A partial change to a webhook: `nil` leaves a field as it is.
public struct WebhookUpdate: Sendable, Hashable {
    public var url: String?
    public var events: Set<WebhookEvent>?
    public var active: Bool?

    public init(url: String? = nil, events: Set<WebhookEvent>? = nil, active: Bool? = nil) {
        self.url = url
        self.events = events
        self.active = active
    }
}
