import MediaCore

/// What an operator needs to see of a channel's transcoder (logs and metrics read this).
public struct TranscoderStatus: Sendable, Hashable {
    public var running = false
    /// The running FFmpeg's process id.
    public var pid: Int32?
    public var starts = 0
    public var restarts = 0
    public var lastExitStatus: Int32?
    public var lastError: String?
    /// FFmpeg's latest progress report.
    public var progress: FFmpegProgress?
    /// Presentation time of the newest source video frame written to FFmpeg, and of the newest
    /// frame read back from it (any rendition).
    public var inputTime: MediaTime?
    public var outputTime: MediaTime?
    /// Source samples not transcoded: FFmpeg was too far behind, or the hub queue overflowed.
    public var droppedInput = 0
    /// Output FFmpeg wrote that could not be demuxed.
    public var demuxErrors = 0

    public init() {}

    /// How far the renditions trail the source, in milliseconds: transcoding delay plus any
    /// falling behind real time.
    public var lagMilliseconds: Int64? {
        guard running, let inputTime, let outputTime else { return nil }
        return max(0, inputTime.milliseconds - outputTime.milliseconds)
    }
}
