import MediaCore

extension MediaPlaylist {
    /// A Media Segment (§3, §4.4.4): its URI line, its `EXTINF` duration and the tags that
    /// apply to it.
    public struct Segment: Sendable, Hashable {
        public var uri: String
        /// `EXTINF` (§4.4.4.1), rendered with five decimals ("2.00000,").
        public var duration: MediaTime
        /// `EXT-X-DISCONTINUITY` before this segment (§4.4.4.3).
        public var discontinuity: Bool
        /// The Media Initialization Section in effect for this segment (`EXT-X-MAP`, §4.4.4.5).
        /// The renderer writes `EXT-X-MAP` before the first segment and wherever the map differs
        /// from the previous segment's (typically after a discontinuity). HLS cannot express
        /// "no map" once one is set: a nil after a non-nil map renders nothing.
        public var map: Map?
        /// `EXT-X-PROGRAM-DATE-TIME` (§4.4.4.6) in Unix epoch milliseconds.
        public var programDateTime: Int64?
        /// The `EXT-X-KEY` in effect for this segment and its parts (§4.4.4.4), nil when clear.
        /// Written, like ``map``, before the first segment and wherever it changes.
        public var key: Key?
        /// `EXT-X-BYTERANGE` (§4.4.4.2).
        public var byteRange: ByteRange?
        /// The `EXT-X-PART` tags of this segment (§4.4.4.9), rendered before its `EXTINF`.
        public var parts: [Part]
        /// `EXT-X-GAP` (§4.4.4.7): the segment is missing (its rendition failed for that time) and
        /// a client must not load it; its URI and duration are still listed.
        public var gap: Bool
        /// `EXT-X-DATERANGE` tags that start at this segment (§4.4.5.1), written after its
        /// `EXT-X-PROGRAM-DATE-TIME`.
        public var dateRanges: [DateRange] = []

        public init(
            uri: String,
            duration: MediaTime,
            discontinuity: Bool = false,
            map: Map? = nil,
            programDateTime: Int64? = nil,
            byteRange: ByteRange? = nil,
            parts: [Part] = [],
            gap: Bool = false,
            key: Key? = nil
        ) {
            self.key = key
            self.uri = uri
            self.duration = duration
            self.discontinuity = discontinuity
            self.map = map
            self.programDateTime = programDateTime
            self.byteRange = byteRange
            self.parts = parts
            self.gap = gap
        }
    }

    /// The segment the server is still producing: the tags that will apply to it and the parts
    /// published so far. Rendered after the last complete segment, before `EXT-X-PRELOAD-HINT`.
    public struct InProgressSegment: Sendable, Hashable {
        public var discontinuity: Bool
        public var map: Map?
        public var programDateTime: Int64?
        public var parts: [Part]
        /// The `EXT-X-KEY` in effect for its parts.
        public var key: Key?
        /// `EXT-X-DATERANGE` tags that start at this segment.
        public var dateRanges: [DateRange] = []

        public init(discontinuity: Bool = false, map: Map? = nil, programDateTime: Int64? = nil, parts: [Part] = [], key: Key? = nil) {
            self.key = key
            self.discontinuity = discontinuity
            self.map = map
            self.programDateTime = programDateTime
            self.parts = parts
        }
    }

    /// A Partial Segment: `EXT-X-PART` (§4.4.4.9).
    /// `#EXT-X-PART:DURATION=0.50000,URI="12.3.m4s",INDEPENDENT=YES`.
    public struct Part: Sendable, Hashable {
        public var uri: String
        public var duration: MediaTime
        /// `INDEPENDENT=YES`: the part starts with an independent frame.
        public var independent: Bool
        public var byteRange: ByteRange?
        /// `GAP=YES`: the part is unavailable.
        public var gap: Bool

        public init(uri: String, duration: MediaTime, independent: Bool = false, byteRange: ByteRange? = nil, gap: Bool = false) {
            self.uri = uri
            self.duration = duration
            self.independent = independent
            self.byteRange = byteRange
            self.gap = gap
        }
    }

    /// `EXT-X-MAP` (§4.4.4.5): the Media Initialization Section (the CMAF header, `init.mp4`).
    public struct Map: Sendable, Hashable {
        public var uri: String
        public var byteRange: ByteRange?

        public init(uri: String, byteRange: ByteRange? = nil) {
            self.uri = uri
            self.byteRange = byteRange
        }
    }
}
