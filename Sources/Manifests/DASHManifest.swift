import MediaCore

/// A dynamic (live) DASH Media Presentation Description over CMAF segments (ISO/IEC 23009-1),
/// as much of it as a live channel needs: Periods, each with one AdaptationSet per media type, each
/// Representation addressed with a `SegmentTemplate` (`$Number$`) and a `SegmentTimeline`
/// (§5.3.9.4, §5.3.9.6), in the ISO BMFF live profile (§8.4,
/// `urn:mpeg:dash:profile:isoff-live:2011`). ``render(query:)`` writes the XML.
///
/// Times on the wall clock are Unix epoch milliseconds; durations are ``MediaTime``.
public struct DASHManifest: Sendable, Hashable {
    /// `MPD@profiles` of the ISO BMFF live profile (§8.4.1).
    public static let liveProfile = "urn:mpeg:dash:profile:isoff-live:2011"
    /// `UTCTiming@schemeIdUri` of a clock read with an HTTP GET answering an ISO 8601 date-time
    /// (§5.8.5.7).
    public static let httpISOTiming = "urn:mpeg:dash:utc:http-iso:2014"

    /// `MPD@availabilityStartTime` (§5.3.1.2): the wall clock of the start of the MPD timeline,
    /// which every `Period@start` counts from.
    public var availabilityStartTime: Int64
    /// `MPD@publishTime` (§5.3.1.2): when this version of the MPD was made.
    public var publishTime: Int64
    /// `MPD@minimumUpdatePeriod` (§5.3.1.2): how long a client may use this MPD before reloading it.
    public var minimumUpdatePeriod: MediaTime
    /// `MPD@timeShiftBufferDepth` (§5.3.1.2): how far behind the live edge segments stay available.
    public var timeShiftBufferDepth: MediaTime
    /// `MPD@suggestedPresentationDelay` (§5.3.1.2): how far behind the live edge to play.
    public var suggestedPresentationDelay: MediaTime
    /// `MPD@minBufferTime` (§5.3.1.2, mandatory).
    public var minBufferTime: MediaTime
    /// `UTCTiming@value` with ``httpISOTiming`` (§5.8.4.11): where clients read the server's clock.
    public var utcTiming: String?
    /// The Periods, in order of their start.
    public var periods: [Period]

    public init(
        availabilityStartTime: Int64, publishTime: Int64, minimumUpdatePeriod: MediaTime, timeShiftBufferDepth: MediaTime,
        suggestedPresentationDelay: MediaTime, minBufferTime: MediaTime, utcTiming: String?, periods: [Period]
    ) {
        self.availabilityStartTime = availabilityStartTime
        self.publishTime = publishTime
        self.minimumUpdatePeriod = minimumUpdatePeriod
        self.timeShiftBufferDepth = timeShiftBufferDepth
        self.suggestedPresentationDelay = suggestedPresentationDelay
        self.minBufferTime = minBufferTime
        self.utcTiming = utcTiming
        self.periods = periods
    }

    /// `Period` (§5.3.2): a stretch of one media timeline. A Period lasts until the next one starts
    /// (§5.3.2.1); the last one of a live presentation has no end yet.
    public struct Period: Sendable, Hashable {
        /// `@id`: the same for the same Period in every version of the MPD (§5.3.2.2).
        public var id: String
        /// `@start`: milliseconds after ``DASHManifest/availabilityStartTime``.
        public var start: Int64
        public var adaptationSets: [AdaptationSet]

        public init(id: String, start: Int64, adaptationSets: [AdaptationSet]) {
            self.id = id
            self.start = start
            self.adaptationSets = adaptationSets
        }
    }

    /// `AdaptationSet` (§5.3.3): the Representations of one media type, switchable at every
    /// segment boundary (`segmentAlignment`, `startWithSAP="1"`: CMAF segments start on a sync sample).
    public struct AdaptationSet: Sendable, Hashable {
        public var id: Int
        public var contentType: MediaType
        public var representations: [Representation]

        public init(id: Int, contentType: MediaType, representations: [Representation]) {
            self.id = id
            self.contentType = contentType
            self.representations = representations
        }

        /// `@mimeType`: CMAF fragmented MP4.
        public var mimeType: String { contentType == .video ? "video/mp4" : "audio/mp4" }
    }

    /// `Representation` (§5.3.5) with its own `SegmentTemplate`.
    public struct Representation: Sendable, Hashable {
        public var id: String
        /// `@codecs` (RFC 6381), as HLS `CODECS` has it.
        public var codecs: String
        /// `@bandwidth` in bits per second (§5.3.5.2): the peak over the listed segments.
        public var bandwidth: Int
        public var width: Int?
        public var height: Int?
        /// `@frameRate` (§5.3.12.2, `FrameRateType`).
        public var frameRate: Rational?
        /// `@audioSamplingRate` in Hz.
        public var audioSamplingRate: Int?
        /// `AudioChannelConfiguration` (§5.8.4.7) with the channel count.
        public var audioChannels: Int?
        public var segments: SegmentTemplate

        public init(
            id: String, codecs: String, bandwidth: Int, width: Int? = nil, height: Int? = nil, frameRate: Rational? = nil,
            audioSamplingRate: Int? = nil, audioChannels: Int? = nil, segments: SegmentTemplate
        ) {
            self.id = id
            self.codecs = codecs
            self.bandwidth = bandwidth
            self.width = width
            self.height = height
            self.frameRate = frameRate
            self.audioSamplingRate = audioSamplingRate
            self.audioChannels = audioChannels
            self.segments = segments
        }
    }

    /// `SegmentTemplate` (§5.3.9.4) with a `SegmentTimeline` (§5.3.9.6): segment `startNumber + i`
    /// is `timeline[i]`, its URL `media` with `$Number$` replaced (§5.3.9.4.4).
    public struct SegmentTemplate: Sendable, Hashable {
        /// Ticks per second of `t`, `d` and ``presentationTimeOffset``: the track's timescale.
        public var timescale: UInt32
        /// `@presentationTimeOffset` (§5.3.9.2): the media time at the Period's start.
        public var presentationTimeOffset: Int64
        public var startNumber: Int
        /// `@initialization`: the init segment's URL.
        public var initialization: String
        /// `@media`: the segments' URL template, with `$Number$`.
        public var media: String
        /// Segments in order, one entry each.
        public var timeline: [TimelineSegment]

        public init(
            timescale: UInt32, presentationTimeOffset: Int64, startNumber: Int, initialization: String, media: String,
            timeline: [TimelineSegment]
        ) {
            self.timescale = timescale
            self.presentationTimeOffset = presentationTimeOffset
            self.startNumber = startNumber
            self.initialization = initialization
            self.media = media
            self.timeline = timeline
        }
    }

    /// One segment of a `SegmentTimeline`: `S@t` (its start, media time) and `S@d` (its duration).
    /// Runs of equal durations that follow each other are written as one `S` with `@r`.
    public struct TimelineSegment: Sendable, Hashable {
        public var start: Int64
        public var duration: Int64

        public init(start: Int64, duration: Int64) {
            self.start = start
            self.duration = duration
        }
    }

    /// An xs:dateTime in UTC with milliseconds (`2026-11-22T10:00:00.000Z`), as MPD dates and
    /// the ``httpISOTiming`` clock are written.
    public static func dateTime(_ epochMilliseconds: Int64) -> String {
        ProgramDateTime.format(epochMilliseconds)
    }
}
