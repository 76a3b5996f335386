import MediaCore

/// A DASH Media Presentation Description over CMAF segments (ISO/IEC 23009-1), as much of it as a
/// channel needs: dynamic (live, DVR, start-over) or static (catch-up, recordings), with Periods,
/// each with one AdaptationSet per media type, each Representation addressed with a
/// `SegmentTemplate` (`$Number$`, §5.3.9.4) or a `SegmentList` (§5.3.9.3) and a
/// `SegmentTimeline` (§5.3.9.6). Template-only MPDs are in the ISO BMFF live profile (§8.4,
/// `urn:mpeg:dash:profile:isoff-live:2011`); one with a `SegmentList` (archived segments have
/// names, not numbers) is in the full profile (§8.2). ``render(query:)`` writes the XML.
///
/// Low latency (DASH-IF "Low-latency Modes for DASH"; ISO/IEC 23009-1 §5.3.9.5): a ``ServiceDescription`` and, on
/// each template, ``SegmentTemplate/availabilityTimeOffset`` with `availabilityTimeComplete="false"`:
/// a segment may be requested that long before it is complete, and arrives with chunked transfer.
///
/// Times on the wall clock are Unix epoch milliseconds; durations are ``MediaTime``.
public struct DASHManifest: Sendable, Hashable {
    /// `MPD@profiles` of the ISO BMFF live profile (§8.4.1).
    public static let liveProfile = "urn:mpeg:dash:profile:isoff-live:2011"
    /// `MPD@profiles` of the full profile (§8.2.1), which allows `SegmentList`.
    public static let fullProfile = "urn:mpeg:dash:profile:full:2011"
    /// `UTCTiming@schemeIdUri` of a clock read with an HTTP GET answering an ISO 8601 date-time
    /// (§5.8.5.7).
    public static let httpISOTiming = "urn:mpeg:dash:utc:http-iso:2014"

    /// `MPD@type` (§5.3.1.2).
    public enum Kind: String, Sendable, Hashable {
        /// Live: segments appear over time, the MPD is reloaded.
        case dynamic
        /// On demand: every segment is there, the MPD does not change.
        case `static`
    }

    public var type: Kind
    /// `MPD@availabilityStartTime` (§5.3.1.2): the wall clock of the start of the MPD timeline,
    /// which every `Period@start` counts from.
    public var availabilityStartTime: Int64
    /// `MPD@publishTime` (§5.3.1.2): when this version of the MPD was made.
    public var publishTime: Int64
    /// `MPD@minimumUpdatePeriod` (§5.3.1.2): how long a client may use this MPD before reloading
    /// it. Dynamic only.
    public var minimumUpdatePeriod: MediaTime?
    /// `MPD@timeShiftBufferDepth` (§5.3.1.2): how far behind the live edge segments stay
    /// available. Dynamic only.
    public var timeShiftBufferDepth: MediaTime?
    /// `MPD@suggestedPresentationDelay` (§5.3.1.2): how far behind the live edge to play.
    /// Dynamic only.
    public var suggestedPresentationDelay: MediaTime?
    /// `MPD@mediaPresentationDuration` (§5.3.1.2): the whole presentation's length. Static only.
    public var mediaPresentationDuration: MediaTime?
    /// `MPD@minBufferTime` (§5.3.1.2, mandatory).
    public var minBufferTime: MediaTime
    /// `ServiceDescription` (ISO/IEC 23009-1, service description annex): the latency a low-latency player aims at.
    public var serviceDescription: ServiceDescription?
    /// `UTCTiming@value` with ``httpISOTiming`` (§5.8.4.11): where clients read the server's clock.
    public var utcTiming: String?
    /// The Periods, in order of their start.
    public var periods: [Period]
    /// How every AdaptationSet is protected; nil: clear.
    public var contentProtection: ContentProtection?

    public init(
        type: Kind = .dynamic, availabilityStartTime: Int64, publishTime: Int64, minimumUpdatePeriod: MediaTime?,
        timeShiftBufferDepth: MediaTime?, suggestedPresentationDelay: MediaTime?, mediaPresentationDuration: MediaTime? = nil,
        minBufferTime: MediaTime, serviceDescription: ServiceDescription? = nil, utcTiming: String?, periods: [Period]
    ) {
        self.type = type
        self.mediaPresentationDuration = mediaPresentationDuration
        self.serviceDescription = serviceDescription
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
        /// Its `EventStream`s (§5.10.2), written before its AdaptationSets.
        public var eventStreams: [EventStream]

        public init(id: String, start: Int64, adaptationSets: [AdaptationSet], eventStreams: [EventStream] = []) {
            self.id = id
            self.start = start
            self.adaptationSets = adaptationSets
            self.eventStreams = eventStreams
        }
    }

    /// `AdaptationSet` (§5.3.3): the Representations of one media type, switchable at every
    /// segment boundary (`segmentAlignment`, `startWithSAP="1"`: CMAF segments start on a sync sample).
    public struct AdaptationSet: Sendable, Hashable {
        public var id: Int
        public var contentType: MediaType
        /// `@lang` (§5.3.3.2, RFC 5646): the language of its content, when known.
        public var language: String?
        /// `Role` descriptors (§5.8.4.2), rendered after `Accessibility` (the schema's order): `main` and `alternate`
        /// in ``Descriptor/roleScheme`` tell a player which of several audio languages to start with.
        public var roles: [Descriptor]
        /// `Accessibility` descriptors (§5.8.4.3), rendered before the Representations.
        public var accessibility: [Descriptor]
        public var representations: [Representation]

        public init(
            id: Int, contentType: MediaType, language: String? = nil, roles: [Descriptor] = [], accessibility: [Descriptor] = [],
            representations: [Representation]
        ) {
            self.id = id
            self.contentType = contentType
            self.language = language
            self.roles = roles
            self.accessibility = accessibility
            self.representations = representations
        }

        /// `@mimeType`: CMAF fragmented MP4.
        public var mimeType: String { contentType == .video ? "video/mp4" : "audio/mp4" }
    }

    /// A descriptor (§5.8.2, `DescriptorType`): a scheme and a value in it.
    public struct Descriptor: Sendable, Hashable {
        /// The scheme of CEA-608 captions carried in the video (SCTE 214-1 §7.2.3, DASH-IF IOP
        /// §6.4.3), with a value such as `CC1=eng` (channel `=` ISO 639-2 language, `;`-separated).
        public static let cea608Scheme = "urn:scte:dash:cc:cea-608:2015"
        /// The scheme of CEA-708 services carried in the video (SCTE 214-1 §7.2.3), with a value
        /// such as `1=lang:eng` (service number `=lang:` ISO 639-2 language, `;`-separated).
        public static let cea708Scheme = "urn:scte:dash:cc:cea-708:2015"
        /// The role scheme of ISO/IEC 23009-1 §5.8.5.5 (`main`, `alternate`, `commentary`, ...).
        public static let roleScheme = "urn:mpeg:dash:role:2011"

        public var schemeIdUri: String
        public var value: String?

        public init(schemeIdUri: String, value: String?) {
            self.schemeIdUri = schemeIdUri
            self.value = value
        }
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

    /// `ServiceDescription` (ISO/IEC 23009-1, service description annex; DASH-IF low-latency guidelines):
    /// `Latency@target` (milliseconds behind the live edge, measured against the
    /// `ProducerReferenceTime` of each Representation) and the `PlaybackRate` range a player may
    /// use to hold it.
    public struct ServiceDescription: Sendable, Hashable {
        /// `Latency@target`, `@min`, `@max`, in milliseconds.
        public var targetLatency: Int64
        public var minimumLatency: Int64
        public var maximumLatency: Int64
        /// `PlaybackRate@min` and `@max`, in thousandths (`960` is 0.96).
        public var playbackRates: ClosedRange<Int>

        public init(targetLatency: Int64, minimumLatency: Int64, maximumLatency: Int64, playbackRates: ClosedRange<Int>) {
            self.targetLatency = targetLatency
            self.minimumLatency = minimumLatency
            self.maximumLatency = maximumLatency
            self.playbackRates = playbackRates
        }
    }

    /// How a Representation's segments are addressed.
    public enum Media: Sendable, Hashable {
        /// `SegmentTemplate@media` with `$Number$` (§5.3.9.4.4).
        case template(String)
        /// A `SegmentList` (§5.3.9.3): one `SegmentURL@media` per timeline segment, in order.
        case list([String])
    }

    /// `SegmentTemplate` (§5.3.9.4) or `SegmentList` (§5.3.9.3), with a `SegmentTimeline`
    /// (§5.3.9.6): segment `startNumber + i` is `timeline[i]`, its URL `media` with `$Number$`
    /// replaced (§5.3.9.4.4), or the `i`-th URL of the list.
    public struct SegmentTemplate: Sendable, Hashable {
        /// Ticks per second of `t`, `d` and ``presentationTimeOffset``: the track's timescale.
        public var timescale: UInt32
        /// `@presentationTimeOffset` (§5.3.9.2): the media time at the Period's start.
        public var presentationTimeOffset: Int64
        public var startNumber: Int
        /// `@initialization`: the init segment's URL.
        public var initialization: String
        /// The segments' URLs.
        public var media: Media
        /// Segments in order, one entry each.
        public var timeline: [TimelineSegment]
        /// `@availabilityTimeOffset` (§5.3.9.5): how long before its end a segment can be
        /// requested (it then arrives as it is written), rendered with
        /// `availabilityTimeComplete="false"`. Nil: segments are available once complete.
        public var availabilityTimeOffset: MediaTime?

        public init(
            timescale: UInt32, presentationTimeOffset: Int64, startNumber: Int, initialization: String, media: Media,
            timeline: [TimelineSegment], availabilityTimeOffset: MediaTime? = nil
        ) {
            self.availabilityTimeOffset = availabilityTimeOffset
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
