import MediaCore

/// What Antenne writes to the transcoder's stdin: one MPEG-TS with the source's video track
/// first, then its AAC or Opus audio track when the source has one. Timestamps are the source's.
public struct TranscoderInput: Sendable, Hashable {
    /// The source video track. Its size and frame rate, when known, size the overlays and decide
    /// whether frame-rate caps have anything to drop.
    public var video: TrackInfo
    /// The source audio track (AAC or Opus), or nil when the source has no audio (or audio the TS does not carry).
    public var audio: TrackInfo?

    public init(video: TrackInfo, audio: TrackInfo? = nil) {
        self.video = video
        self.audio = audio
    }

    /// True when the input carries an audio stream.
    public var hasAudio: Bool { audio != nil }
}
