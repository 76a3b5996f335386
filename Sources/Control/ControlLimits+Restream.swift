extension ControlLimits {
    /// Restream destinations per channel. Each is an FFmpeg child and a copy of the channel's
    /// bitrate going out: 16 covers every platform a channel is simulcast to (YouTube, Twitch,
    /// Facebook, a backup of each, other servers) while bounding what one channel can start.
    public static let destinationsPerChannel = 16

    /// A destination's stream key. The platforms' keys are under 64 characters (YouTube 24,
    /// Twitch ~40, Antenne's `sk_` + 32); 256 bounds what is stored and put into a URL.
    public static let destinationKeyLength = 1...256

    /// The last error kept for a destination: one FFmpeg line, which is a few hundred bytes.
    public static let destinationErrorLength = 300

    /// Destinations one server reads in a sync pass: 16 per channel for 1,000 pushed channels,
    /// far beyond what one machine can push, so the pass's query stays bounded.
    public static let destinationsPerSync = 16_000
}
