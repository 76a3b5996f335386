/// Bounds on playlist text read off the wire (an origin playlist fetched by an edge, a playlist
/// parsed in a test). Each default says where its number comes from; exceeding one throws
/// ``ManifestError/Kind/limitExceeded(limit:maximum:)`` before any unbounded work is done.
public struct PlaylistLimits: Sendable, Hashable {
    /// Total UTF-8 size. 16 MiB: a 24 h EVENT playlist with 1 s segments, each with
    /// `EXT-X-PROGRAM-DATE-TIME`, `EXTINF` and a URI (~110 bytes), is ~9.5 MB.
    public var maxBytes: Int
    /// Number of lines. 1,000,000: the 24 h / 1 s playlist above has ~260,000 lines; the rest is
    /// room for parts near the live edge and tags we ignore.
    public var maxLines: Int
    /// Length of one line in bytes. 12 KiB: a URI with a signed CDN token is under 2 KiB, and an
    /// `EXT-X-DATERANGE` carrying the largest SCTE-35 section (``maxSCTE35Bytes``, 8,194
    /// characters in hex) with its other attributes is under 9 KiB.
    public var maxLineBytes: Int
    /// Length of one attribute list in bytes (§4.2). 12 KiB, for the same `EXT-X-DATERANGE` reason.
    public var maxAttributeListBytes: Int
    /// Attributes in one list. 64: `EXT-X-STREAM-INF`, the richest tag we parse, defines 15.
    public var maxAttributes: Int
    /// Media segments in a Media Playlist. 100,000: 24 h at 1 s segments is 86,400.
    public var maxSegments: Int
    /// `EXT-X-PART` tags per segment. 200: a 20 s segment cut into 0.1 s parts, both well
    /// past what LL-HLS deployments use (2-6 s segments, 0.2-1 s parts).
    public var maxPartsPerSegment: Int
    /// `EXT-X-STREAM-INF` plus `EXT-X-MEDIA` entries in a Multivariant Playlist, and
    /// `EXT-X-RENDITION-REPORT` tags in a Media Playlist. 1,000: a 10-rung ladder with
    /// 40 audio and subtitle languages is 50.
    public var maxStreams: Int
    /// `EXT-X-DATERANGE` tags in a Media Playlist; those past it are left out. 512: an Antenne
    /// origin holds 256 markers per channel (`ChannelPackager.maximumMarkers`), each listed with
    /// its start and its return.
    public var maxDateRanges: Int
    /// Bytes of one `SCTE35-CMD`, `SCTE35-OUT` or `SCTE35-IN` (§4.4.5.1.1); a date range with a
    /// longer one is left out. 4,096: a `splice_info_section`'s `section_length` is 12 bits, at
    /// most 4,093, plus the 3 bytes before it (ANSI/SCTE 35 2022 §9.6.1).
    public var maxSCTE35Bytes: Int

    public init(
        maxBytes: Int = 16 << 20,
        maxLines: Int = 1_000_000,
        maxLineBytes: Int = 12 << 10,
        maxAttributeListBytes: Int = 12 << 10,
        maxAttributes: Int = 64,
        maxSegments: Int = 100_000,
        maxPartsPerSegment: Int = 200,
        maxStreams: Int = 1_000,
        maxDateRanges: Int = 512,
        maxSCTE35Bytes: Int = 4_096
    ) {
        self.maxBytes = maxBytes
        self.maxLines = maxLines
        self.maxLineBytes = maxLineBytes
        self.maxAttributeListBytes = maxAttributeListBytes
        self.maxAttributes = maxAttributes
        self.maxSegments = maxSegments
        self.maxPartsPerSegment = maxPartsPerSegment
        self.maxStreams = maxStreams
        self.maxDateRanges = maxDateRanges
        self.maxSCTE35Bytes = maxSCTE35Bytes
    }

    public static let `default` = PlaylistLimits()
}
