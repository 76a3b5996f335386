import MediaCore
import NIOCore

extension ChannelSessions {
    /// What the packager does to its live renditions, which the actions name. Carried out in
    /// order, they build every rendition's window; every closed segment and gap is complete and
    /// goes on to the archive.
    enum Action: Sendable, Equatable {
        /// A feed's session starts with these renditions, in track order; `hidden` ones are
        /// segmented (the source video leads every boundary) but not offered.
        case list(Feed, renditions: [String], hidden: [String])
        /// A publish session starts on a rendition (new if the name is). Its next segment carries
        /// EXT-X-DISCONTINUITY unless it is its first.
        case begin(rendition: String, track: TrackInfo, initSegment: ByteBuffer)
        /// Segment `msn` opens; `programDateTime` is the wall clock of its first sample.
        case openSegment(rendition: String, msn: Int, startDTS: Int64, programDateTime: Int64)
        /// The next part of the open segment, ready to serve.
        case publish(rendition: String, part: Segmenter.Part)
        /// Segment `msn` is complete: it is its parts, in order.
        case closeSegment(rendition: String, msn: Int)
        /// The rendition has nothing for segment `msn` (RFC 8216bis §4.4.4.7, EXT-X-GAP): it is
        /// listed with the leader's duration and date-time.
        case gap(rendition: String, msn: Int, duration: Int64, programDateTime: Int64)
        /// The caption channels the rendition's current session carries: none when its scan
        /// starts (an H.264 or HEVC session), then each time its samples' SEI speaks on a channel
        /// not seen before in the session.
        case captions(rendition: String, channels: CaptionChannels)
        /// The rendition's session ended at `at` (Unix epoch milliseconds).
        case end(rendition: String, at: Int64)
        /// A marker starts on the segment the leader has just opened (``LiveMarker/msn``).
        case marker(LiveMarker)
    }
}
