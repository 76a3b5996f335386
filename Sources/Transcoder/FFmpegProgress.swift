/// One `-progress` block from FFmpeg: the counters it prints every `-stats_period`.
///
/// Fields FFmpeg printed as `N/A` (or did not print) are nil. These are statistics for logs and
/// metrics, not media times, so rates are plain `Double`s.
public struct FFmpegProgress: Sendable, Hashable {
    /// Frames encoded so far on the first video output (`frame`).
    public var frame: Int64?
    /// Recent encoding rate in frames per second (`fps`).
    public var fps: Double?
    /// Output bitrate in kbit/s over the whole run (`bitrate=5365.3kbits/s`).
    public var bitrateKilobitsPerSecond: Double?
    /// Bytes written to the output so far (`total_size`).
    public var totalSizeBytes: Int64?
    /// Output position in microseconds (`out_time_us`; FFmpeg's `out_time_ms` is microseconds
    /// too, despite its name). With `-copyts` it follows the source's timestamps, not the run
    /// time, and can be negative in the first block.
    public var outTimeMicroseconds: Int64?
    /// Frames duplicated to keep a constant rate (`dup_frames`); 0 with `-fps_mode passthrough`.
    public var duplicatedFrames: Int64?
    /// Frames dropped (`drop_frames`).
    public var droppedFrames: Int64?
    /// Encoding speed relative to real time (`speed=1.02x`); below 1 the transcoder falls behind.
    public var speed: Double?
    /// True for the last block (`progress=end`): FFmpeg is finishing.
    public var isEnd: Bool

    public init(
        frame: Int64? = nil,
        fps: Double? = nil,
        bitrateKilobitsPerSecond: Double? = nil,
        totalSizeBytes: Int64? = nil,
        outTimeMicroseconds: Int64? = nil,
        duplicatedFrames: Int64? = nil,
        droppedFrames: Int64? = nil,
        speed: Double? = nil,
        isEnd: Bool = false
    ) {
        self.frame = frame
        self.fps = fps
        self.bitrateKilobitsPerSecond = bitrateKilobitsPerSecond
        self.totalSizeBytes = totalSizeBytes
        self.outTimeMicroseconds = outTimeMicroseconds
        self.duplicatedFrames = duplicatedFrames
        self.droppedFrames = droppedFrames
        self.speed = speed
        self.isEnd = isEnd
    }
}
