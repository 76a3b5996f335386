/// The codecs Antenne carries. Video arrives over legacy FLV (H.264) or Enhanced RTMP FourCCs.
public enum Codec: String, Sendable, Hashable {
    case h264, hevc, av1, aac, opus

    public var mediaType: MediaType {
        switch self {
        case .h264, .hevc, .av1: .video
        case .aac, .opus: .audio
        }
    }
}

public enum MediaType: String, Sendable, Hashable, Codable {
    case video, audio
}

/// Everything a packager needs to describe one elementary stream.
public struct TrackInfo: Sendable, Hashable {
    public var codec: Codec
    /// Ticks per second of this track's sample times: 90 000 for video, the sample rate for audio.
    public var timescale: UInt32
    /// The decoder configuration record in ISO BMFF form: `avcC`, `hvcC` or `av1C` payload for video,
    /// AudioSpecificConfig for AAC, `dOps` payload for Opus.
    public var decoderConfig: [UInt8]
    /// RFC 6381 codec string, e.g. `avc1.64001f` or `mp4a.40.2`.
    public var codecString: String
    public var video: VideoParameters?
    public var audio: AudioParameters?
    /// The rendition this track is packaged as, when its producer names it (a transcoder ladder
    /// rung such as `720p`); nil lets the packager choose (`source`, `audio`).
    public var rendition: String?
    /// The language of its content, when its container states one (an audio programme of an
    /// MPEG-TS multiplex, ISO/IEC 13818-1 §2.6.18); nil when unknown or undetermined.
    public var language: LanguageTag?

    public init(
        codec: Codec,
        timescale: UInt32,
        decoderConfig: [UInt8],
        codecString: String,
        video: VideoParameters? = nil,
        audio: AudioParameters? = nil,
        rendition: String? = nil,
        language: LanguageTag? = nil
    ) {
        self.codec = codec
        self.timescale = timescale
        self.decoderConfig = decoderConfig
        self.codecString = codecString
        self.video = video
        self.audio = audio
        self.rendition = rendition
        self.language = language
    }

    public var mediaType: MediaType { codec.mediaType }

    /// Audio tracks a channel carries at most: an audio programme per language. DVB and ATSC
    /// multiplexes carry two to four (original, dubbed, audio description); a player's menu and
    /// the multivariant playlist stay short. Ingest keeps that many, and a ladder encodes them all.
    public static let maximumAudioTracks = 8
}

public struct VideoParameters: Sendable, Hashable {
    public var width: Int
    public var height: Int
    /// Nominal frame rate when the stream states one (SPS VUI timing or onMetaData).
    public var frameRate: Rational?

    public init(width: Int, height: Int, frameRate: Rational? = nil) {
        self.width = width
        self.height = height
        self.frameRate = frameRate
    }
}

public struct AudioParameters: Sendable, Hashable {
    public var sampleRate: Int
    public var channelCount: Int
    /// Samples per coded frame (1024 for AAC-LC, 960 or 480..2880 for Opus at 48 kHz).
    public var samplesPerFrame: Int

    public init(sampleRate: Int, channelCount: Int, samplesPerFrame: Int) {
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.samplesPerFrame = samplesPerFrame
    }
}
