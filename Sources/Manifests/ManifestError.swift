/// The one error type of the Manifests module: what went wrong, and where in the playlist text.
public struct ManifestError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The text does not start with `#EXTM3U` (RFC 8216bis §4.4.1.1).
        case missingHeader
        /// A named limit of ``PlaylistLimits`` was exceeded. `limit` is the property name.
        case limitExceeded(limit: String, maximum: Int)
        /// A tag every playlist of this kind must carry is absent (e.g. `EXT-X-TARGETDURATION`).
        case missingTag(String)
        /// A tag value or attribute value does not have the syntax RFC 8216bis §4.2 requires.
        case invalidValue(tag: String, attribute: String?)
        /// A required attribute is absent from a tag's attribute list.
        case missingAttribute(tag: String, attribute: String)
        /// An attribute name appears twice in one attribute list (§4.2 forbids it).
        case duplicateAttribute(tag: String, attribute: String)
        /// A URI line with a character no URI has: a control character (RFC 3986 §2).
        case invalidURI
        /// A URI line that no `EXTINF` or `EXT-X-STREAM-INF` tag precedes, or such a tag
        /// with no URI line after it.
        case unpairedTag(String)
        /// Multivariant tags in a Media Playlist or the reverse (§4.1: a playlist is one or the other).
        case wrongPlaylistKind
        /// A feature this module deliberately does not model, and must not silently drop
        /// (encryption, I-frame-only playlists).
        case unsupported(String)
    }

    public var kind: Kind
    /// 1-based line number in the parsed text, or 0 when the error concerns the whole text.
    public var line: Int
    /// The offending line, truncated to ``excerptLength`` characters.
    public var excerpt: String

    /// Long enough to show a tag and its first attributes, short enough for a log line.
    public static let excerptLength = 120

    public init(_ kind: Kind, line: Int = 0, excerpt: Substring = "") {
        self.kind = kind
        self.line = line
        self.excerpt = String(excerpt.prefix(Self.excerptLength))
    }

    public var description: String {
        line == 0 ? "\(kind)" : "\(kind) at line \(line): \(excerpt)"
    }
}
