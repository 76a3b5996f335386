/// A marker asked for on a live channel: an ad break or a programme that starts at a time and
/// lasts a while. It comes from the control API or from the encoder (an SCTE-35 cue on RTMP),
/// reaches the packager through the channel's hub, and becomes an HLS `EXT-X-DATERANGE`, a DASH
/// `EventStream` event and a webhook once the segment it starts is cut.
public struct ChannelMarker: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// An ad break (SCTE-35 `splice_insert`, out of the network and back).
        case adBreak
        /// A programme (SCTE-35 `time_signal` with a Program Start segmentation descriptor).
        case programme
    }

    /// Where the marker starts.
    public enum Start: Sendable, Hashable {
        /// A wall-clock instant, Unix epoch milliseconds: mapped to media time through the
        /// session's program date time.
        case wallClock(Int64)
        /// A presentation time on the timeline of the channel's source (the encoder's clock).
        case mediaTime(MediaTime)
    }

    /// Unique on the channel: the `ID` of its `EXT-X-DATERANGE` (RFC 8216bis §4.4.5.1).
    public var id: String
    public var kind: Kind
    public var start: Start
    public var duration: MediaTime
    /// The SCTE-35 `splice_event_id` its cues carry.
    public var eventID: UInt32

    public init(id: String, kind: Kind, start: Start, duration: MediaTime, eventID: UInt32? = nil) {
        self.id = id
        self.kind = kind
        self.start = start
        self.duration = duration
        self.eventID = eventID ?? Self.eventID(for: id)
    }

    /// The longest marker: a day, far beyond any ad break or programme a live channel schedules.
    public static let maximumDuration = MediaTime(ticks: 86_400, timescale: 1)
    /// The longest id: a UUID is 36 characters; SCTE-35 UPIDs and encoder cue names fit in 64.
    public static let maximumIDLength = 64

    /// A `splice_event_id` named by `id`: its FNV-1a hash, so every origin derives the same one.
    public static func eventID(for id: String) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in id.utf8 { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        return hash
    }
}
