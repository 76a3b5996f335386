import Control

extension ConfigFile {
    /// A channel's restream destination in the configuration file:
    /// `{"url": "rtmp://a.rtmp.youtube.com/live2", "streamKey": "...", "rendition": "720p"}`.
    struct RestreamEntry: Decodable {
        var url: String
        /// Secret: stored for pushing, never logged or shown.
        var streamKey: String?
        /// A ladder rung to push instead of the source.
        var rendition: String?

        var destination: NewChannelDestination {
            NewChannelDestination(url: url, streamKey: streamKey.map(Secret.init), rendition: rendition)
        }
    }
}
