/// The video codecs a ladder rung can be encoded with, and the FFmpeg encoder behind each.
///
/// Rungs are always 8-bit 4:2:0 (`format=yuv420p` in the filter graph), so only the profiles that
/// fit that are accepted: a `high10` or `main10` profile would make the encoder fail at start.
public enum LadderCodec: String, Sendable, Hashable, Codable, CaseIterable {
    /// H.264 with libx264.
    case h264
    /// HEVC with libx265.
    case hevc

    /// The FFmpeg encoder name, as given to `-c:v`.
    public var encoderName: String {
        switch self {
        case .h264: "libx264"
        case .hevc: "libx265"
        }
    }

    /// The profile used when a configuration names none.
    public var defaultProfile: String {
        switch self {
        case .h264: "high"
        case .hevc: "main"
        }
    }

    /// Profiles that fit 8-bit 4:2:0 (x264 `--profile`, x265 `--profile`).
    public var profiles: [String] {
        switch self {
        case .h264: ["baseline", "main", "high"]
        case .hevc: ["main"]
        }
    }

    /// Speed presets; x264 and x265 share the list (`x264 --fullhelp`, `x265 --help`).
    public var presets: [String] {
        ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"]
    }

    /// Tunings (`x264 --fullhelp`, `x265 --help`).
    public var tunes: [String] {
        switch self {
        case .h264: ["film", "animation", "grain", "stillimage", "psnr", "ssim", "fastdecode", "zerolatency"]
        case .hevc: ["psnr", "ssim", "grain", "fastdecode", "zerolatency", "animation"]
        }
    }
}
