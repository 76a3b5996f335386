import MediaCore

extension MediaPlaylist {
    /// `EXT-X-SERVER-CONTROL` (§4.4.3.8): what the server supports for Low-Latency HLS.
    public struct ServerControl: Sendable, Hashable {
        /// `CAN-BLOCK-RELOAD=YES`: `_HLS_msn` / `_HLS_part` blocking reloads (§6.2.5.2).
        public var canBlockReload: Bool
        /// `CAN-SKIP-UNTIL`: the Skip Boundary of Playlist Delta Updates (§6.2.5.1). At least six
        /// target durations when present.
        public var canSkipUntil: MediaTime?
        /// `CAN-SKIP-DATERANGES=YES` (needs ``canSkipUntil``).
        public var canSkipDateRanges: Bool
        /// `HOLD-BACK`: minimum distance from the end of the playlist to start playback. At least
        /// three target durations.
        public var holdBack: MediaTime?
        /// `PART-HOLD-BACK`: the same in low-latency mode; at least twice the part target, and
        /// three part targets is recommended.
        public var partHoldBack: MediaTime?

        public init(
            canBlockReload: Bool = false,
            canSkipUntil: MediaTime? = nil,
            canSkipDateRanges: Bool = false,
            holdBack: MediaTime? = nil,
            partHoldBack: MediaTime? = nil
        ) {
            self.canBlockReload = canBlockReload
            self.canSkipUntil = canSkipUntil
            self.canSkipDateRanges = canSkipDateRanges
            self.holdBack = holdBack
            self.partHoldBack = partHoldBack
        }
    }

    /// `EXT-X-PRELOAD-HINT` (§4.4.5.3): a resource the client may request before it exists; the
    /// server blocks the request until it is available.
    public struct PreloadHint: Sendable, Hashable {
        public enum HintType: String, Sendable, Hashable {
            case part = "PART"
            case map = "MAP"
        }

        public var type: HintType
        public var uri: String
        /// `BYTERANGE-START`: first byte of the hinted range (absent: 0).
        public var byteRangeStart: Int64?
        /// `BYTERANGE-LENGTH`: length of the hinted range (absent: to the end of the resource).
        public var byteRangeLength: Int64?

        public init(type: HintType = .part, uri: String, byteRangeStart: Int64? = nil, byteRangeLength: Int64? = nil) {
            self.type = type
            self.uri = uri
            self.byteRangeStart = byteRangeStart
            self.byteRangeLength = byteRangeLength
        }
    }

    /// `EXT-X-RENDITION-REPORT` (§4.4.5.4): the live edge of another rendition, so a client can
    /// switch with one blocking request.
    public struct RenditionReport: Sendable, Hashable {
        /// The other rendition's Media Playlist, relative to this playlist's URI.
        public var uri: String
        /// `LAST-MSN`: media sequence number of its last complete segment (or in-progress one when
        /// it has parts).
        public var lastMSN: Int64
        /// `LAST-PART`: index of its last part in that segment; nil without parts.
        public var lastPart: Int?

        public init(uri: String, lastMSN: Int64, lastPart: Int? = nil) {
            self.uri = uri
            self.lastMSN = lastMSN
            self.lastPart = lastPart
        }
    }
}
