import Foundation

/// A place a channel is restreamed to: an `rtmp://`, `rtmps://` or `srt://` URL, and the stream
/// key that completes it. The key is stored (pushing needs it) but is not part of this record,
/// like a webhook's signing secret: the API shows whether one is set, never the key.
public struct ChannelDestination: Sendable, Hashable, Identifiable {
    public let id: UUID
    public let channelID: UUID
    /// The URL without the key (`rtmp://a.rtmp.youtube.com/live2`).
    public var url: String
    /// The ladder rung pushed, or nil for the channel's source.
    public var rendition: String?
    public var hasStreamKey: Bool
    /// Declared by the server's configuration (replaced at each start), not made through the API.
    public var configured: Bool
    /// As the server pushing it last reported.
    public var status: DestinationStatus
    public let createdAt: Date

    public init(
        id: UUID, channelID: UUID, url: String, rendition: String?, hasStreamKey: Bool, configured: Bool,
        status: DestinationStatus, createdAt: Date
    ) {
        self.id = id
        self.channelID = channelID
        self.url = url
        self.rendition = rendition
        self.hasStreamKey = hasStreamKey
        self.configured = configured
        self.status = status
        self.createdAt = createdAt
    }
}

/// What a destination's push is doing, as the server running it reported.
public struct DestinationStatus: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        case idle, connecting, pushing, retrying
    }

    public var state: State
    /// The last failure, one line, the key masked.
    public var lastError: String?
    public var bytesSent: Int64
    /// Samples not pushed because the destination fell too far behind (a slow destination).
    public var droppedSamples: Int64
    /// When it was last reported; nil before the first report.
    public var updatedAt: Date?

    public init(state: State = .idle, lastError: String? = nil, bytesSent: Int64 = 0, droppedSamples: Int64 = 0, updatedAt: Date? = nil) {
        self.state = state
        self.lastError = lastError
        self.bytesSent = bytesSent
        self.droppedSamples = droppedSamples
        self.updatedAt = updatedAt
    }
}

/// The fields of a destination to create.
public struct NewChannelDestination: Sendable, Hashable {
    public var url: String
    public var streamKey: Secret?
    public var rendition: String?

    public init(url: String, streamKey: Secret?, rendition: String? = nil) {
        self.url = url
        self.streamKey = streamKey
        self.rendition = rendition
    }
}

/// A destination with what pushing it needs: its channel's name and its stream key.
public struct DestinationPush: Sendable, Hashable {
    public let destination: ChannelDestination
    public let channelName: String
    public let streamKey: Secret?
}
