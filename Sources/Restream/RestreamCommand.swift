/// FFmpeg's arguments for one push: MPEG-TS on stdin, copied (no decoding, no encoding) into the
/// destination's container, progress on stderr.
enum RestreamCommand {
    /// A destination that takes no bytes for this long ends the push (FFmpeg's `rw_timeout`, in
    /// microseconds), so a stalled TCP connection is retried instead of held forever. 10 s is
    /// longer than any pause a live ingest makes.
    static let writeTimeoutMicroseconds = 10_000_000

    /// How long FFmpeg looks at its input before it connects (`analyzeduration`, microseconds;
    /// FFmpeg's default is 5 s). The input starts on a key frame with its parameter sets and
    /// carries audio within its first frames, so 1 s finds both, and a push resumes sooner.
    static let analyzeMicroseconds = 1_000_000

    static func arguments(for url: DestinationURL) -> [String] {
        var arguments = [
            "-hide_banner", "-loglevel", "error", "-nostats", "-progress", "pipe:2", "-stats_period", "1",
            "-analyzeduration", "\(analyzeMicroseconds)", "-f", "mpegts", "-i", "pipe:0",
            "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy",
            "-rw_timeout", "\(writeTimeoutMicroseconds)",
            "-f", url.scheme.ffmpegFormat,
        ]
        if url.scheme != .srt {
            // A live FLV has no end to seek back to for its duration and size. The AAC sequence
            // header comes from the stream itself: MPEG-TS carries ADTS, so FFmpeg has no
            // AudioSpecificConfig when it writes the FLV header and would send an empty one,
            // which strict ingests (Antenne's among them) refuse.
            arguments += ["-flvflags", "no_duration_filesize+aac_seq_header_detect"]
        }
        return arguments + [url.target]
    }
}
