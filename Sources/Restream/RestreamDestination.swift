import Foundation

/// One place a channel is pushed to: a URL with its stream key, and what is pushed (the source,
/// or one rendition of the channel's ladder). Its description shows the redacted URL only.
public struct RestreamDestination: Sendable, Hashable, Identifiable, CustomStringConvertible {
    public let id: UUID
    public var url: DestinationURL
    /// The ladder rung pushed (`720p`), or nil for the channel's source as published.
    public var rendition: String?

    public init(id: UUID, url: DestinationURL, rendition: String? = nil) {
        self.id = id
        self.url = url
        self.rendition = rendition
    }

    public var description: String {
        "\(url.redacted) (\(rendition ?? "source"))"
    }
}
