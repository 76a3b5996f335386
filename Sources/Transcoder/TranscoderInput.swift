import MediaCore

/// What Antenne writes to the transcoder's stdin: one MPEG-TS with the source's video track
/// first, then its AAC or Opus audio tracks when the source has some (an audio programme per
/// language, each with its ISO 639 descriptor). Timestamps are the source's.
public struct TranscoderInput: Sendable, Hashable {
    /// The source video track. Its size and frame rate, when known, size the overlays and decide
    /// whether frame-rate caps have anything to drop.
    public var video: TrackInfo
    /// The source's first audio track (AAC or Opus), or nil when the source has no audio (or audio the TS does not carry).
    public var audio: TrackInfo?
    /// Its further audio tracks (other languages), after `audio`.
    public var otherAudio: [TrackInfo]

    public init(video: TrackInfo, audio: TrackInfo? = nil, otherAudio: [TrackInfo] = []) {
        self.video = video
        self.audio = audio
        self.otherAudio = audio == nil ? [] : otherAudio
    }

    /// True when the input carries an audio stream.
    public var hasAudio: Bool { audio != nil }

    /// Every audio track, in input order.
    public var audioTracks: [TrackInfo] { (audio.map { [$0] } ?? []) + otherAudio }
}
