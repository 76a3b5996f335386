import MediaCore
import NIOCore

// The live window, as delivery reads it: channels, their renditions, each rendition's snapshot
// (segments, parts, maps) and its media in memory. The local packager implements it
// (`PackagerRegistry`, `ChannelPackager`, `LiveRendition`); an edge relay that pulls from an
// origin, or a second manifest format reading the same window, plug in here.

/// The live channels a server can play, by public name.
public protocol LiveWindowDirectory: Sendable {
    /// The channel named `name`, if it is running here.
    func channel(named name: String) -> (any LiveChannelWindow)?
    /// Every running channel, by name.
    var channels: [any LiveChannelWindow] { get }
    /// For a channel that is not here but may come when asked for (an edge relay starts pulling
    /// a channel from its origin when a viewer first asks for it): the wait for it, bounded by the
    /// directory. Nil when there is nothing to wait for.
    func arrival(of name: String) -> (@Sendable () async -> Void)?
}

extension LiveWindowDirectory {
    /// A server's own packagers: a channel that is not running does not come by being asked for.
    public func arrival(of name: String) -> (@Sendable () async -> Void)? { nil }
}

/// One live channel: its timing and the renditions it lists. A class: delivery keeps per-channel
/// state (rendered playlists, thumbnails) by identity and must not keep a channel alive.
public protocol LiveChannelWindow: AnyObject, Sendable {
    /// The channel's public name (`hls/{name}/…`).
    var name: String { get }
    /// A publisher is feeding the channel.
    var isLive: Bool { get }
    /// Segment and part targets and the window's length, fixed for the channel's life.
    var configuration: PackagerConfiguration { get }
    /// Whether the multivariant playlist offers the audio rendition alone as a variant.
    var audioOnlyVariant: Bool { get }
    /// The listed renditions: video variants first, then audio.
    var listedRenditions: [any LiveRenditionWindow] { get }
    /// A listed rendition by name.
    func listedRendition(named name: String) -> (any LiveRenditionWindow)?
    /// The channel's markers (ad breaks, programmes), oldest first, each on the segment it
    /// starts: playlists list those whose segment they list.
    var markers: [LiveMarker] { get }
}

extension LiveChannelWindow {
    /// A window that carries no markers.
    public var markers: [LiveMarker] { [] }
}

/// What a held request waits for: a segment or a part (RFC 8216bis §6.2.5.2).
public typealias LiveWindowTarget = LiveRendition.Target

/// One rendition's window: a consistent snapshot for playlists, and the media by number, shared
/// not copied. A class, for the same reason as ``LiveChannelWindow``.
public protocol LiveRenditionWindow: AnyObject, Sendable {
    var name: String { get }
    /// The track's parameters, once the first init segment is known.
    var track: TrackInfo? { get }
    /// The window as it is now; nil before the rendition has media. Snapshots of one window
    /// version are equal (`RenditionSnapshot.version` says when it changes).
    func snapshot() -> RenditionSnapshot?
    /// Init segment `index` (`init.mp4`, `init-{index}.mp4`).
    func initSegment(index: Int) -> ByteBuffer?
    /// The whole segment `msn`, once complete: its parts, in order (held once, never joined).
    func segment(msn: Int) -> [ByteBuffer]?
    /// Part `index` of segment `msn`.
    func part(msn: Int, index: Int) -> ByteBuffer?
    /// Whether `target` exists, at once or when it appears, or false after `timeout`: a future on
    /// `loop` (the caller's own event loop), with no task per waiting request.
    func ready(for target: LiveWindowTarget, timeout: Duration, on loop: any EventLoop) -> EventLoopFuture<Bool>
    /// The same wait for a task.
    func wait(for target: LiveWindowTarget, timeout: Duration, on loop: any EventLoop) async -> Bool
}

extension LiveRenditionWindow {
    /// The wait as ``ready(for:timeout:on:)`` (a window whose waits are only ever succeeded); a
    /// window may end a cancelled task's wait sooner.
    public func wait(for target: LiveWindowTarget, timeout: Duration, on loop: any EventLoop) async -> Bool {
        (try? await ready(for: target, timeout: timeout, on: loop).get()) ?? false
    }
}
