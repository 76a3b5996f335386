import Foundation

/// Where the control API inserts ad and programme markers: the running server's channels.
public protocol ChannelMarkers: Sendable {
    /// Posts `marker` on the running channel `channel` (its public name).
    func insert(_ marker: MarkerRequest, channel: String) -> MarkerInsertion
}

/// A marker the API was asked for, checked against ``ControlLimits``.
public struct MarkerRequest: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case adBreak, programme
    }

    public enum Start: Sendable, Hashable {
        /// As soon as the channel's next key frame allows.
        case now
        /// At a wall-clock instant, Unix epoch milliseconds (the playlists' program date time).
        case date(Int64)
        /// At a presentation time of the encoder's stream, in milliseconds.
        case mediaTime(Int64)
    }

    public var id: String
    public var kind: Kind
    public var start: Start
    public var durationMilliseconds: Int64

    public init(id: String, kind: Kind, start: Start, durationMilliseconds: Int64) {
        self.id = id
        self.kind = kind
        self.start = start
        self.durationMilliseconds = durationMilliseconds
    }
}

/// What became of a marker the API posted.
public enum MarkerInsertion: Sendable, Hashable {
    /// Queued for the channel's packager.
    case accepted
    /// No encoder publishes on the channel: there is no stream to mark.
    case notLive
    /// `limit` markers already wait for the channel's packager.
    case full(limit: Int)
}

/// A server without channels (the API alone, in tests): no channel is live.
public struct NoMarkers: ChannelMarkers {
    public init() {}

    public func insert(_ marker: MarkerRequest, channel: String) -> MarkerInsertion { .notLive }
}
