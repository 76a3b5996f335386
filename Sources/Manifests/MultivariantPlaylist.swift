import MediaCore

/// An HLS Multivariant Playlist (RFC 8216bis §4.4.6): the renditions (`EXT-X-MEDIA`) and
/// variant streams (`EXT-X-STREAM-INF`) of one piece of content.
///
/// Render it with ``render()``; parse one with ``parse(_:limits:)``.
public struct MultivariantPlaylist: Sendable, Hashable {
    /// `EXT-X-VERSION` (§4.4.1.2). Always rendered; a parsed playlist without it has version 1.
    public var version: Int
    /// `EXT-X-INDEPENDENT-SEGMENTS` (§4.4.2.1), applying to every Media Playlist.
    public var independentSegments: Bool
    /// `EXT-X-MEDIA` tags, rendered first, in order.
    public var renditions: [Rendition]
    /// `EXT-X-STREAM-INF` tags with their URI lines, rendered after the renditions, in order.
    public var variants: [Variant]

    public init(version: Int, independentSegments: Bool = false, renditions: [Rendition] = [], variants: [Variant] = []) {
        self.version = version
        self.independentSegments = independentSegments
        self.renditions = renditions
        self.variants = variants
    }

    /// `EXT-X-MEDIA` (§4.4.6.1): one alternative rendition in a group.
    public struct Rendition: Sendable, Hashable {
        public enum MediaType: String, Sendable, Hashable {
            case audio = "AUDIO"
            case video = "VIDEO"
            case subtitles = "SUBTITLES"
            case closedCaptions = "CLOSED-CAPTIONS"
        }

        public var type: MediaType
        /// `GROUP-ID`, referenced by a variant's `AUDIO` / `VIDEO` / `SUBTITLES` attribute.
        public var groupID: String
        /// `NAME`: human-readable, unique within the group.
        public var name: String
        /// `LANGUAGE`: an RFC 5646 tag ("en", "fr-CA").
        public var language: String?
        /// `DEFAULT`: play this one when the user expressed no preference.
        public var isDefault: Bool
        /// `AUTOSELECT`: the client may pick it from the user's settings.
        public var autoselect: Bool
        /// `CHANNELS`: audio channel count and optional parameters ("2", "16/JOC").
        public var channels: String?
        /// `INSTREAM-ID` (§4.4.6.1): which in-band captions a `CLOSED-CAPTIONS` rendition is,
        /// `CC1`...`CC4` (CEA-608) or `SERVICE1`...`SERVICE63` (CEA-708).
        public var instreamID: String?
        /// `URI` of the rendition's Media Playlist; nil when the rendition is muxed into the variant.
        public var uri: String?

        public init(
            type: MediaType,
            groupID: String,
            name: String,
            language: String? = nil,
            isDefault: Bool = false,
            autoselect: Bool = false,
            channels: String? = nil,
            instreamID: String? = nil,
            uri: String? = nil
        ) {
            self.type = type
            self.groupID = groupID
            self.name = name
            self.language = language
            self.isDefault = isDefault
            self.autoselect = autoselect
            self.channels = channels
            self.instreamID = instreamID
            self.uri = uri
        }
    }

    /// `EXT-X-STREAM-INF` (§4.4.6.2) and the URI line after it: one variant stream.
    public struct Variant: Sendable, Hashable {
        /// `BANDWIDTH`: peak segment bit rate, bits per second.
        public var bandwidth: Int
        /// `AVERAGE-BANDWIDTH`: average segment bit rate, bits per second.
        public var averageBandwidth: Int?
        /// `CODECS`: RFC 6381 codec strings of every format in the variant, audio groups included.
        public var codecs: [String]
        /// `RESOLUTION`: `<width>x<height>`.
        public var resolution: Resolution?
        /// `FRAME-RATE`, rendered with three decimals (`Rational.decimalString`). A parsed value
        /// is the decimal as written (29.970 parses as 29970/1000).
        public var frameRate: Rational?
        /// `AUDIO`: the `GROUP-ID` of the audio renditions to play with this variant.
        public var audioGroup: String?
        /// `CLOSED-CAPTIONS` (§4.4.6.2): the captions group carried in the variant's video, or none.
        public var closedCaptions: ClosedCaptions?
        public var uri: String

        public init(
            bandwidth: Int,
            averageBandwidth: Int? = nil,
            codecs: [String] = [],
            resolution: Resolution? = nil,
            frameRate: Rational? = nil,
            audioGroup: String? = nil,
            closedCaptions: ClosedCaptions? = nil,
            uri: String
        ) {
            self.bandwidth = bandwidth
            self.averageBandwidth = averageBandwidth
            self.codecs = codecs
            self.resolution = resolution
            self.frameRate = frameRate
            self.audioGroup = audioGroup
            self.closedCaptions = closedCaptions
            self.uri = uri
        }
    }

    /// The value of a variant's `CLOSED-CAPTIONS` attribute (§4.4.6.2).
    public enum ClosedCaptions: Sendable, Hashable {
        /// The quoted `GROUP-ID` of the `CLOSED-CAPTIONS` renditions in the variant's video.
        case group(String)
        /// `NONE`: no variant carries captions. If one variant says so, every one must (§4.4.6.2).
        case notCarried
    }

    /// A `decimal-resolution` (§4.2).
    public struct Resolution: Sendable, Hashable {
        public var width: Int
        public var height: Int

        public init(width: Int, height: Int) {
            self.width = width
            self.height = height
        }
    }
}
