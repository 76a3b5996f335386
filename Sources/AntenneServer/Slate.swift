/// What a channel plays while no encoder is live: a generated card with its name, an image, or a
/// video looped; or, for a channel fed from a file (file playout), that file looped for good. The server's slate player (``SlateService``) publishes it with the channel's
/// slate key, as an encoder would, so it runs in every rendition.
public struct Slate: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        /// A "we’ll be right back" card with the channel's name (FFmpeg's lavfi `color` and
        /// `drawtext`).
        case card
        /// A still image (PNG, JPEG), shown as a video.
        case image(path: String)
        /// A video file, looped.
        case video(path: String)
    }

    public var source: Source
    /// The key the slate player publishes with: made at each start, never shown. Secret.
    public var streamKey: String
    /// It stops, and the channel ends, once no live input has fed the channel this long; nil
    /// plays it for as long as the server runs (file playout: a channel fed from a file).
    public var timeout: Duration?

    public init(source: Source, streamKey: String, timeout: Duration?) {
        self.source = source
        self.streamKey = streamKey
        self.timeout = timeout
    }

    /// Image files by extension; any other path is a video.
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "bmp", "webp"]

    /// `card`, or the path of an image or a video file (which must exist).
    static func source(_ text: String) -> Source? {
        if text == "card" { return .card }
        guard text.hasPrefix("/") || text.hasPrefix("."), text.utf8.count <= maximumPathLength else { return nil }
        let suffix = text.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return imageExtensions.contains(suffix) ? .image(path: text) : .video(path: text)
    }

    /// Longest slate path accepted: Linux's PATH_MAX.
    static let maximumPathLength = 4_096
    /// Slate timeouts accepted: a second to a day.
    static let timeoutLimits: ClosedRange<Duration> = .seconds(1) ... .seconds(86_400)
}
