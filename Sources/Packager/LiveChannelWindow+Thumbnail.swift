extension LiveChannelWindow {
    /// The rendition to take thumbnails from: the listed video whose height is closest to
    /// `height` (decoding a small key frame is cheaper than scaling a large one down).
    public func thumbnailRendition(height: Int) -> (any LiveRenditionWindow)? {
        let video = listedRenditions.filter { $0.track?.mediaType == .video }
        return video.min { abs(($0.track?.video?.height ?? 0) - height) < abs(($1.track?.video?.height ?? 0) - height) }
    }
}
