/// What playback asks of the control plane about things that are not running: channels whose
/// archive can be played while they are offline, recordings and clips. The server answers from
/// its database; a server without one answers nothing.
public protocol PlaybackCatalog: Sendable {
    /// The visibility of a channel that has no packager running, or nil if there is no such
    /// channel (its archive, if any is left, is not served).
    func offlineChannel(named name: String) async -> ChannelVisibility?
    /// A recording's channel and range (`vod/{id}/…`), nil if unknown.
    func recording(id: String) async -> ArchivedRange?
    /// A clip's channel, range and file (`clips/{id}…`), nil if unknown.
    func clip(id: String) async -> ArchivedClip?
}

/// A channel's time range in the archive, in Unix milliseconds; an open range follows the live
/// edge.
public struct ArchivedRange: Sendable, Hashable {
    public var channel: String
    public var start: Int64
    public var end: Int64?

    public init(channel: String, start: Int64, end: Int64?) {
        self.channel = channel
        self.start = start
        self.end = end
    }
}

/// A clip as playback serves it: its range (for its playlist) and, once made, its MP4.
public struct ArchivedClip: Sendable, Hashable {
    public var range: ArchivedRange
    /// The MP4's archive key, once the clip is ready.
    public var file: String?

    public init(range: ArchivedRange, file: String?) {
        self.range = range
        self.file = file
    }
}

/// A catalog that knows nothing: only running channels play.
public struct EmptyPlaybackCatalog: PlaybackCatalog {
    public init() {}
    public func offlineChannel(named name: String) async -> ChannelVisibility? { nil }
    public func recording(id: String) async -> ArchivedRange? { nil }
    public func clip(id: String) async -> ArchivedClip? { nil }
}
