import MediaCore

/// The tracks a push carries: one video track (the source's first, or the chosen rendition's)
/// and the first AAC track if there is one. Hub track indices map to MPEG-TS tracks (video 0,
/// audio 1).
struct RestreamTracks {
    let videoIndex: Int
    let audioIndex: Int?
    let tracks: [TrackInfo]

    /// - Parameter rendition: the rendition's name in the renditions track set, or nil for the
    ///   source.
    init(_ infos: [TrackInfo], rendition: String?) throws(RestreamError) {
        let match: (TrackInfo) -> Bool = { $0.mediaType == .video && (rendition == nil || $0.rendition == rendition) }
        guard let videoIndex = infos.firstIndex(where: match) else {
            throw .unsupportedSource(rendition.map { "the channel has no rendition \($0)" } ?? "the stream has no video")
        }
        let video = infos[videoIndex]
        // RTMP's FLV carries H.264 (and HEVC through Enhanced RTMP); the TS on stdin carries both.
        guard video.codec == .h264 || video.codec == .hevc else {
            throw .unsupportedSource("restreaming carries H.264 or HEVC video, not \(video.codec.rawValue)")
        }
        self.videoIndex = videoIndex
        audioIndex = infos.firstIndex { $0.codec == .aac }
        tracks = [video] + (audioIndex.map { [infos[$0]] } ?? [])
    }

    func muxerTrack(forHubTrack index: Int) -> Int? {
        if index == videoIndex { return 0 }
        if index == audioIndex { return 1 }
        return nil
    }
}
