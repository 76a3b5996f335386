/// What a playback URL names (ARCHITECTURE.md, Contracts: Playback), told from its path alone:
/// what the routes dispatch on, and a label for logs and metrics, with few values so that a metric
/// keeps few series.
public enum PlaybackRouteKind: String, Sendable, Hashable, CaseIterable {
    /// `hls/{channel}/master.m3u8`, `vod/{id}/master.m3u8`, `clips/{id}/master.m3u8`.
    case multivariant
    /// `hls/{channel}/{rendition}/index.m3u8`, live or archived.
    case mediaPlaylist
    /// `init.mp4`, `init-{n}.mp4`.
    case initSegment
    /// `{msn}.m4s`.
    case segment
    /// `{msn}.{part}.m4s`.
    case part
    /// `hls/{channel}/{rendition}/archive/{file}`: an archived segment or init segment.
    case archive
    /// `hls/{channel}/thumbnail.jpg`.
    case thumbnail
    /// `hls/{channel}/keys/{period}`: a content key of an encrypted channel.
    case key
    /// `clips/{id}.mp4`.
    case clip
    /// `dash/{channel}/manifest.mpd`, `vod/{id}/manifest.mpd`.
    case dashManifest
    /// `dash/time`: the clock of DASH `UTCTiming`.
    case clock
    /// Anything else under a playback prefix.
    case other

    /// The kind of `path` (query and all: what follows `?` is ignored).
    public init(path: Substring) {
        self.init(names: PlaybackRequest.names(path.prefix { $0 != "?" }))
    }

    /// The kind of a path by its names (``PlaybackRequest/names``).
    public init(names: [String]) {
        guard let prefix = names.first else {
            self = .other
            return
        }
        let rest = names.dropFirst()
        switch (prefix, rest.count) {
        case ("hls", 2):
            self = names[2] == "master.m3u8" ? .multivariant : names[2] == "thumbnail.jpg" ? .thumbnail : .other
        case ("hls", 3) where names[2] == ContentEncryption.keysDirectory && PlaybackRoutes.keyPeriod(names[3]) != nil:
            self = .key
        case ("hls", 3):
            switch MediaFileName(names[3]) {
            case .playlist: self = .mediaPlaylist
            case .initSegment: self = .initSegment
            case .segment: self = .segment
            case .part: self = .part
            case nil: self = .other
            }
        case ("hls", 4):
            self = names[3] == "archive" ? .archive : .other
        case ("vod", 2) where names[2] == "manifest.mpd":
            self = .dashManifest
        case ("vod", 2), ("clips", 2):
            self = names[2] == "master.m3u8" ? .multivariant : .other
        case ("dash", 2):
            self = names[2] == "manifest.mpd" ? .dashManifest : .other
        case ("dash", 1):
            self = names[1] == "time" ? .clock : .other
        case ("clips", 1):
            self = names[1].hasSuffix(".mp4") ? .clip : .other
        default:
            self = .other
        }
    }
}
