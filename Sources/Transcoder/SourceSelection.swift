import MediaCore

/// The source tracks FFmpeg reads: the first video track, and every audio track when the
/// ladder encodes audio (AAC or Opus, which the TS muxer carries and FFmpeg decodes: an audio
/// programme per language, at most `TrackInfo.maximumAudioTracks`, each an encoder in the one FFmpeg). Hub track indices map to MPEG-TS
/// track indices (video 0, audio 1, 2, ...).
struct SourceSelection {
    let videoIndex: Int
    let video: TrackInfo
    /// The hub indices of the audio tracks read, in order.
    let audioIndices: [Int]
    let audioTracks: [TrackInfo]

    var audioIndex: Int? { audioIndices.first }
    var audio: TrackInfo? { audioTracks.first }

    init(_ infos: [TrackInfo], encodeAudio: Bool) throws(TranscoderError) {
        guard let videoIndex = infos.firstIndex(where: { $0.mediaType == .video }) else {
            throw .unsupportedSource("the stream has no video")
        }
        let video = infos[videoIndex]
        guard video.codec == .h264 || video.codec == .hevc else {
            throw .unsupportedSource("the transcoder reads H.264 or HEVC video, not \(video.codec.rawValue)")
        }
        self.videoIndex = videoIndex
        self.video = video
        let audioIndices = encodeAudio ? Array(infos.indices.filter { Self.audioCodecs.contains(infos[$0].codec) }.prefix(TrackInfo.maximumAudioTracks)) : []
        self.audioIndices = audioIndices
        self.audioTracks = audioIndices.map { infos[$0] }
    }

    /// The source audio codecs the transcoder reads.
    static let audioCodecs: Set<Codec> = [.aac, .opus]

    var tracks: [TrackInfo] { [video] + audioTracks }

    var input: TranscoderInput { TranscoderInput(video: video, audio: audio, otherAudio: Array(audioTracks.dropFirst())) }

    func muxerTrack(forHubTrack index: Int) -> Int? {
        if index == videoIndex { return 0 }
        return audioIndices.firstIndex(of: index).map { $0 + 1 }
    }
}
