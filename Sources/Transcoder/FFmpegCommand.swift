import MediaCore

/// The FFmpeg command line for one channel's transcoder (FFmpeg 5.1 or later).
///
/// FFmpeg reads the channel's source as MPEG-TS on stdin, decodes it once, draws the overlays,
/// splits the picture, scales and encodes each rung, and writes one MPEG-TS on stdout:
/// the rungs' video streams in ladder order (PIDs 0x100, 0x101, ...), then one AAC stream per
/// source audio track (a language each) when the ladder encodes audio and the source has some. stderr carries `-progress` blocks and error
/// lines (``FFmpegProgressParser``).
///
/// Guarantees, checked with ffprobe against real FFmpeg:
/// - Every video packet keeps the PTS of the source frame it came from (`-copyts`,
///   `-mpegts_copyts 1`, `-avoid_negative_ts disabled`, no `-start_at_zero`, encoders on a
///   1/90 000 time base with `-fps_mode passthrough`), and DTS equals PTS (no B-frames).
/// - Keyframes (IDR) fall exactly on the source's keyframes in every rung (`-force_key_frames
///   source`, `-forced-idr 1`, scene-cut detection off, and a ``keyframeIntervalCeiling`` so
///   large the encoders never add one of their own), so segment N of every rendition covers the
///   same media time as segment N of the source.
/// - Closed captions in the source's H.264 SEI (ATSC A/53 `cc_data`) reach every H.264 rung: the
///   decoder exports them as frame side data, every filter of the graph (split, scale, overlay,
///   select) passes it on with its frame, and libx264 writes it back (`-a53cc 1`). A frame a
///   rung's frame-rate cap drops takes its caption bytes with it.
/// - Audio packets keep the source's timing too, shifted earlier by the AAC encoder's priming
///   (1024 samples): the first packet's PTS is the source's first audio PTS minus 1024 samples.
///   Feed timestamps well above zero, or that first PTS wraps below zero in the 33-bit TS clock.
///
/// `-nostdin` only stops FFmpeg reading keyboard commands; `-i pipe:0` still reads the media.
/// Left out on purpose: `-fflags nobuffer` (FFmpeg then discards the packets it read while
/// probing, which lost the whole first GOP), and the decoder's `-flags low_delay` (no measurable
/// gain on a source with B-frames, where the decoder must reorder frames anyway).
public enum FFmpegCommand {
    /// `-probesize`, in bytes: enough for one keyframe of a 1080p stream at 8 Mbit/s, so FFmpeg
    /// sees the SPS and the picture size before giving up. Probing stops earlier once
    /// ``analyzeDurationMicroseconds`` of media has been read.
    public static let probeSizeBytes = 1_000_000
    /// `-analyzeduration`, in microseconds of media. FFmpeg reads this much of the stream before
    /// it starts decoding, so it is the transcoder's start-up delay: 500 ms leaves room for audio
    /// that starts a little after the video. Measured from the first input byte to the first
    /// output packet on two cores: 0.43 s with 200 ms, 0.8 s with 500 ms, 1.2 s with 1 s.
    public static let analyzeDurationMicroseconds = 500_000
    /// `-max_interleave_delta`, in microseconds: how long the muxer may hold packets of one
    /// stream while waiting for another. When a source's audio pauses, FFmpeg's 10 s default
    /// held every video rung back for the whole pause; 200 ms bounds that stall.
    public static let maxInterleaveDeltaMicroseconds = 200_000
    /// `-g`: the encoders add a keyframe of their own only after this many frames without one.
    /// 36 000 frames is 10 minutes at 60 fps, far beyond any live GOP, so every keyframe is the
    /// source's (and a source that sends none for that long cannot be segmented anyway).
    public static let keyframeIntervalCeiling = 36_000
    /// `-stats_period`, in seconds: one `-progress` block per second.
    public static let progressPeriodSeconds = 1
    /// Frames are dropped by a rung's `maxFrameRate` when they come less than this fraction of
    /// a cap period after the previous kept frame. The 5 % slack keeps every frame of a source
    /// at the cap whose timestamps jitter by a millisecond (RTMP's clock).
    static let frameRateCapSlack = 0.95

    /// The arguments, without the executable name, for `ladder` on `source` with `overlays`.
    ///
    /// Pass a validated ladder fitted to the source (``Ladder/validate()``,
    /// ``Ladder/fitted(to:)``) and validated overlays (``Overlays/validate()``). Overlays need at
    /// least one rung: with none there is no picture to draw on. Returns an empty array when the
    /// ladder needs no FFmpeg at all (``Ladder/needsTranscoding(sourceHasAudio:)``).
    public static func arguments(ladder: Ladder, source: TranscoderInput, overlays: Overlays = Overlays()) -> [String] {
        let encodeAudio = ladder.audio != nil && source.hasAudio
        guard !ladder.rungs.isEmpty || encodeAudio else { return [] }
        var args = [
            "-hide_banner", "-nostdin",
            "-loglevel", "error", "-nostats",
            "-progress", "pipe:2", "-stats_period", String(progressPeriodSeconds),
            "-copyts",
            "-probesize", String(probeSizeBytes),
            "-analyzeduration", String(analyzeDurationMicroseconds),
            "-fpsprobesize", "0",
            "-f", "mpegts", "-i", "pipe:0",
        ]
        let drawsOverlays = !ladder.rungs.isEmpty && !overlays.isEmpty
        if drawsOverlays, let watermark = overlays.watermark {
            // png_pipe reads the file as one stream: no image2 `%d` pattern expansion, and the
            // `file:` prefix keeps a name such as `http:...` or `concat:...` a plain file.
            args += ["-f", "png_pipe", "-i", "file:" + watermark]
        }
        if !ladder.rungs.isEmpty {
            let graph = filterGraph(rungs: ladder.rungs, source: source, overlays: drawsOverlays ? overlays : Overlays())
            args += ["-filter_complex", graph]
            for (index, rung) in ladder.rungs.enumerated() {
                let frameRate = activeCap(of: rung, source: source).map { cappedFrameRate(cap: $0, source: source) }
                args += videoOutputOptions(rung: rung, index: index, cappedFrameRate: frameRate)
            }
        }
        if encodeAudio, let audio = ladder.audio {
            // Every source audio programme, each encoded alike; its language (the input's ISO
            // 639 descriptor, stream metadata to FFmpeg) is copied to the output stream's.
            for index in source.audioTracks.indices {
                args += [
                    "-map", "0:a:\(index)",
                    "-c:a:\(index)", "aac",
                    "-b:a:\(index)", String(audio.bitrate),
                    "-ac:a:\(index)", String(audio.channels),
                ]
            }
        }
        args += [
            "-max_interleave_delta", String(maxInterleaveDeltaMicroseconds),
            "-avoid_negative_ts", "disabled",
            "-muxdelay", "0", "-muxpreload", "0",
            "-flush_packets", "1",
            "-f", "mpegts",
            "-mpegts_copyts", "1",
            // One audio frame per PES packet, so each leaves as soon as it is encoded.
            "-pes_payload_size", "0",
            "pipe:1",
        ]
        return args
    }

    /// `-map [vK]` and the encoder options of rung `index`, every option scoped to output video
    /// stream `index` (`:v:K`). `cappedFrameRate` is the rate of a rung whose cap drops frames.
    static func videoOutputOptions(rung: LadderRung, index: Int, cappedFrameRate: Rational? = nil) -> [String] {
        let scope = ":v:\(index)"
        var args = [
            "-map", "[v\(index)]",
            "-c" + scope, rung.codec.encoderName,
            "-profile" + scope, rung.profile,
            "-preset" + scope, rung.preset,
        ]
        if let tune = rung.tune { args += ["-tune" + scope, tune] }
        args += [
            "-b" + scope, String(rung.videoBitrate),
            "-maxrate" + scope, String(rung.maxrate),
            "-bufsize" + scope, String(rung.bufsize),
            "-g" + scope, String(keyframeIntervalCeiling),
            "-bf" + scope, "0",
        ]
        switch rung.codec {
        case .h264:
            // -a53cc (libx264's default, stated so that no change of default drops them): the
            // CEA-608/708 captions the decoder found in the source's SEI (ATSC A/53), carried by
            // the filter graph as frame side data, are written into each rung's SEI again.
            args += ["-sc_threshold" + scope, "0", "-a53cc" + scope, "1"]
        case .hevc:
            // libx265 ignores -sc_threshold; it also defaults to open GOPs and logs on its own.
            args += ["-x265-params" + scope, "scenecut=0:open-gop=0:log-level=error"]
        }
        if let cappedFrameRate {
            // Only tells the encoder the rate; -fps_mode passthrough keeps it from adding or
            // dropping frames to match.
            args += ["-r" + scope, FrameRateNotation.format(cappedFrameRate)]
        }
        args += [
            "-forced-idr" + scope, "1",
            "-force_key_frames" + scope, "source",
            "-fps_mode" + scope, "passthrough",
            "-enc_time_base" + scope, "1:\(MediaTime.videoTimescale)",
        ]
        return args
    }
}
