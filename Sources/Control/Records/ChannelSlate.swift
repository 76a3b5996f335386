/// What a channel plays while no encoder is live (issue 15, slate), set through the API or the
/// configuration: a generated card with its name, a still image, or a video looped.
public struct ChannelSlate: Sendable, Hashable, Codable {
    public enum Source: String, Sendable, Hashable, Codable, CaseIterable {
        case card
        case image
        case video
    }

    public var source: Source
    /// An image's or a video's file: inside the media directory (through the API), or the
    /// absolute path the configuration gives. Nil for a card.
    public var path: String?
    /// It stops, and the channel ends, once no live input has fed the channel this long; nil:
    /// played for as long as no live input feeds the channel.
    public var timeoutSeconds: Int?

    public init(source: Source, path: String? = nil, timeoutSeconds: Int? = nil) {
        self.source = source
        self.path = path
        self.timeoutSeconds = timeoutSeconds
    }
}
