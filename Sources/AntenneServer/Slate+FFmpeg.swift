extension Slate {
    /// The slate's frame size and rate: a 720p card at 30 fps, a key frame every second, so that
    /// the slate starts playing, and gives way to a live input, within a second.
    static let width = 1280
    static let height = 720
    static let frameRate = 30

    /// FFmpeg publishing the slate of `channel` to `url` over RTMP in real time: H.264 and AAC
    /// (silence for a card or an image). A video starts `startMilliseconds` in (`-ss` before the
    /// input: a seek to the key frame before, decoded up to it), then loops from its start.
    func ffmpegArguments(channel: String, url: String, startMilliseconds: Int64 = 0) -> [String] {
        let fit = "scale=\(Self.width):\(Self.height):force_original_aspect_ratio=decrease,"
            + "pad=\(Self.width):\(Self.height):(ow-iw)/2:(oh-ih)/2,fps=\(Self.frameRate),format=yuv420p"
        let silence = ["-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate=48000"]
        var arguments = ["-hide_banner", "-loglevel", "error", "-nostdin"]
        switch source {
        case .card:
            // Channel names are letters, digits, '-' and '_': nothing to escape in the graph. The
            // apostrophe is U+2019, which needs no escaping either.
            let text = ":fontcolor=white:x=(w-tw)/2"
            let card = "color=c=0x1d2433:s=\(Self.width)x\(Self.height):r=\(Self.frameRate),"
                + "drawtext=text=\(channel)\(text):fontsize=72:y=(h/2)-120,"
                + "drawtext=text=We’ll be right back\(text):fontsize=56:y=(h/2)+20,format=yuv420p"
            arguments += ["-re", "-f", "lavfi", "-i", card] + silence + ["-map", "0:v", "-map", "1:a"]
        case .image(let path):
            arguments += ["-re", "-loop", "1", "-framerate", "\(Self.frameRate)", "-i", path] + silence
                + ["-map", "0:v", "-map", "1:a", "-vf", fit]
        case .video(let path):
            let seek = startMilliseconds > 0 ? ["-ss", "\(startMilliseconds / 1_000).\(String(startMilliseconds % 1_000 + 1_000).dropFirst())"] : []
            arguments += ["-re", "-stream_loop", "-1"] + seek + ["-i", path, "-map", "0:v:0", "-map", "0:a:0?", "-vf", fit]
        }
        return arguments + [
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-b:v", "1000k",
            "-g", "\(Self.frameRate)", "-keyint_min", "\(Self.frameRate)", "-sc_threshold", "0",
            "-c:a", "aac", "-b:a", "64k", "-ac", "2", "-ar", "48000",
            "-f", "flv", url,
        ]
    }
}
