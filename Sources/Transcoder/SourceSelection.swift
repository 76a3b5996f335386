import MediaCore

/// The source tracks FFmpeg reads: the first video track, and the first audio track when the
/// ladder encodes audio (AAC or Opus, which the TS muxer carries and FFmpeg decodes). Hub track indices map to MPEG-TS track indices (video 0, audio 1).
struct SourceSelection {
    let videoIndex: Int
    let video: TrackInfo
    let audioIndex: Int?
    let audio: TrackInfo?

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
        let audioIndex = encodeAudio ? infos.firstIndex { Self.audioCodecs.contains($0.codec) } : nil
        self.audioIndex = audioIndex
        self.audio = audioIndex.map { infos[$0] }
    }

    /// The source audio codecs the transcoder reads.
    static let audioCodecs: Set<Codec> = [.aac, .opus]

    var tracks: [TrackInfo] { [video] + (audio.map { [$0] } ?? []) }

    func muxerTrack(forHubTrack index: Int) -> Int? {
        if index == videoIndex { return 0 }
        if index == audioIndex { return 1 }
        return nil
    }
}
