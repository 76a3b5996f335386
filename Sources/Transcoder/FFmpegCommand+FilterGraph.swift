import MediaCore

extension FFmpegCommand {
    /// The `-filter_complex` graph: overlays on the decoded source, conversion to 8-bit 4:2:0,
    /// one split, then per rung an optional frame-rate cap and a scale, labelled `[v0]`, `[v1]`...
    ///
    /// ```
    /// [1:v][0:v:0]scale2ref=...[wm][src];[src][wm]overlay=...,drawtext=...,format=yuv420p,split=2[s0][s1];
    /// [s0]scale=1280:720:flags=bicubic,setsar=1[v0];[s1]select=...,scale=640:360:flags=bicubic,setsar=1[v1]
    /// ```
    ///
    /// `format=yuv420p` runs once before the split, so every rung scales 4:2:0 and the encoders'
    /// 8-bit profiles always fit. `setsar=1` keeps pixels square after the aspect rounding of
    /// ``Ladder/fitted(to:)``.
    static func filterGraph(rungs: [LadderRung], source: TranscoderInput, overlays: Overlays) -> String {
        var chains: [String] = []
        var trunk: [String] = []
        var trunkInput = "[0:v:0]"
        if overlays.watermark != nil {
            // Scale the PNG against the decoded source (`ih` is the reference's height in
            // scale2ref), keeping its own aspect ratio, both sides even.
            chains.append("[1:v][0:v:0]scale2ref=w=trunc(oh*mdar/2)*2:h=trunc(ih/12/2)*2[wm][src]")
            trunkInput = "[src][wm]"
            trunk.append("overlay=x=main_w-overlay_w-main_h/24:y=main_h-overlay_h-main_h/24")
        }
        if overlays.clock {
            trunk.append(clockFilter(sourceHeight: source.video.video?.height))
        }
        trunk.append("format=yuv420p")
        trunk.append("split=\(rungs.count)" + rungs.indices.map { "[s\($0)]" }.joined())
        chains.append(trunkInput + trunk.joined(separator: ","))
        for (index, rung) in rungs.enumerated() {
            var filters: [String] = []
            if let cap = activeCap(of: rung, source: source) {
                filters.append(frameRateCapFilter(cap))
            }
            filters.append("scale=\(rung.width):\(rung.height):flags=bicubic")
            filters.append("setsar=1")
            chains.append("[s\(index)]" + filters.joined(separator: ",") + "[v\(index)]")
        }
        return chains.joined(separator: ";")
    }

    /// drawtext with a UTC clock, `HH:MM:SS UTC`, white on a half-transparent black band, in the
    /// top-left corner, its size relative to the picture height.
    ///
    /// The text goes through three parsers: drawtext's `%{gmtime:...}` expansion splits its
    /// arguments on `:` (so the format's colons are escaped once, `%H\:%M\:%S`), then the option
    /// parser and the graph parser (``FilterGraphEscaping/literal(_:)``). The result is
    /// `text='%{gmtime\:%H\\\:%M\\\:%S} UTC'`.
    static func clockFilter(sourceHeight: Int?) -> String {
        let text = FilterGraphEscaping.literal(#"%{gmtime:%H\:%M\:%S} UTC"#)
        let border = max(2, (sourceHeight ?? 720) / 90)
        return "drawtext=text=\(text):font=monospace:fontcolor=white:fontsize=h/24:x=h/40:y=h/40"
            + ":box=1:boxcolor=black@0.5:boxborderw=\(border)"
    }

    /// The rung's frame-rate cap, unless the source's rate is known and not above it: a slower
    /// source loses nothing to the cap, so its filter is left out.
    static func activeCap(of rung: LadderRung, source: TranscoderInput) -> Rational? {
        guard let cap = rung.maxFrameRate else { return nil }
        guard let sourceRate = source.video.video?.frameRate, sourceRate.isPositive else { return cap }
        return sourceRate.isFaster(than: cap) ? cap : nil
    }

    /// The frame rate a capped rung actually has, for the encoder's rate control (`-r`): the
    /// filter graph still announces the source's rate, and x264 spreads the bitrate over the
    /// announced frames, so a 60 fps source capped at 30 would get half its bitrate.
    ///
    /// The cap filter keeps one frame in `k`, the smallest `k` with `k / sourceRate` at least
    /// ``frameRateCapSlack`` of a cap period: 60 → 30 fps, 50 → 25 fps. An unknown source rate
    /// gives the cap itself.
    static func cappedFrameRate(cap: Rational, source: TranscoderInput) -> Rational {
        guard let sourceRate = source.video.video?.frameRate, sourceRate.isPositive else { return cap }
        let ratio = frameRateCapSlack * (Double(sourceRate.numerator) / Double(sourceRate.denominator))
            / (Double(cap.numerator) / Double(cap.denominator))
        let keepOneIn = Int64(max(1, ratio.rounded(.up)))
        let (denominator, overflow) = sourceRate.denominator.multipliedReportingOverflow(by: keepOneIn)
        return overflow ? cap : Rational(sourceRate.numerator, denominator).reduced
    }

    /// A `select` that keeps every keyframe and otherwise only frames at least
    /// ``frameRateCapSlack`` of a cap period after the previous kept frame.
    ///
    /// Unlike the `fps` filter it never duplicates a frame, never moves a timestamp and never
    /// drops a keyframe, so `-force_key_frames source` still sees every source keyframe.
    static func frameRateCapFilter(_ cap: Rational) -> String {
        let period = "\(frameRateCapSlack)*\(cap.denominator)/\(cap.numerator)"
        let expression = "key+isnan(prev_selected_t)+gte(t-prev_selected_t,\(period))"
        return "select=expr=" + FilterGraphEscaping.literal(expression)
    }
}
