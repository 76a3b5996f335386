/// A channel as its encoder and its viewers see it now. The input figures are the encoder's
/// (the hub's source tracks, before the transcoder); nil while nothing is known.
public struct LiveStatus: Sendable, Hashable {
    /// Whether an encoder publishes.
    public var live: Bool
    /// The video codec, as an RFC 6381 codecs string (`avc1.64001f`).
    public var videoCodec: String?
    public var audioCodec: String?
    public var width: Int?
    public var height: Int?
    /// Bits per second, all tracks, over the last key-frame intervals.
    public var bitrate: Double?
    /// Video frames per second of media time.
    public var framesPerSecond: Double?
    /// Seconds between key frames, on average over the last ones.
    public var keyFrameInterval: Double?
    /// Distinct viewers within the audience window.
    public var viewers: Int
    /// Seconds behind live, as players report it; nil without reports.
    public var latency: Double?
    /// The renditions served.
    public var renditions: [String]
    /// Players connected to the channel's P2P swarms now, all renditions.
    public var p2pPeers = 0
    /// Share of the media bytes P2P players got from peers over the last sample interval, as
    /// they report it; nil without reports.
    public var p2pOffload: Double?
    /// The input the channel follows now (README "Backup inputs"); nil while none does (offline).
    public var input: StreamKeyRole?
    /// Times the channel went from one input to another since the server started.
    public var inputSwitches = 0
    /// The SRT link of the active input, when that input is an SRT publish (listener or pull);
    /// nil for any other input and while offline.
    public var srt: SRTLinkStatus?

    public init(
        live: Bool, videoCodec: String? = nil, audioCodec: String? = nil, width: Int? = nil, height: Int? = nil,
        bitrate: Double? = nil, framesPerSecond: Double? = nil, keyFrameInterval: Double? = nil, viewers: Int = 0,
        latency: Double? = nil, renditions: [String] = []
    ) {
        self.live = live
        self.videoCodec = videoCodec
        self.audioCodec = audioCodec
        self.width = width
        self.height = height
        self.bitrate = bitrate
        self.framesPerSecond = framesPerSecond
        self.keyFrameInterval = keyFrameInterval
        self.viewers = viewers
        self.latency = latency
        self.renditions = renditions
    }
}
