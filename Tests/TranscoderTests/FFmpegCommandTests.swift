import MediaCore
import Testing
@testable import Transcoder

@Suite struct FFmpegCommandTests {
    /// The complete command line for the mobile preset on a 1280x720 30 fps source with AAC.
    @Test func mobileOnA720pSourceWithAAC() {
        let ladder = LadderPreset.mobile.ladder.fitted(to: VideoParameters(width: 1280, height: 720, frameRate: Rational(30, 1)))
        let rungs: [(String, String, String)] = [("1280:720", "2500000", "5000000"), ("854:480", "1200000", "2400000"),
                                                  ("640:360", "700000", "1400000"), ("426:240", "400000", "800000")]
        var expected = [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-nostats", "-progress", "pipe:2", "-stats_period", "1",
            "-copyts", "-probesize", "1000000", "-analyzeduration", "500000", "-fpsprobesize", "0",
            "-f", "mpegts", "-i", "pipe:0",
            "-filter_complex",
            "[0:v:0]format=yuv420p,split=4[s0][s1][s2][s3];"
                + "[s0]scale=1280:720:flags=bicubic,setsar=1[v0];[s1]scale=854:480:flags=bicubic,setsar=1[v1];"
                + "[s2]scale=640:360:flags=bicubic,setsar=1[v2];[s3]scale=426:240:flags=bicubic,setsar=1[v3]",
        ]
        for (k, (_, bitrate, bufsize)) in rungs.enumerated() {
            expected += [
                "-map", "[v\(k)]", "-c:v:\(k)", "libx264", "-profile:v:\(k)", "main", "-preset:v:\(k)", "veryfast",
                "-tune:v:\(k)", "zerolatency", "-b:v:\(k)", bitrate, "-maxrate:v:\(k)", bitrate, "-bufsize:v:\(k)", bufsize,
                "-g:v:\(k)", "36000", "-bf:v:\(k)", "0", "-sc_threshold:v:\(k)", "0", "-a53cc:v:\(k)", "1", "-forced-idr:v:\(k)", "1",
                "-force_key_frames:v:\(k)", "source", "-fps_mode:v:\(k)", "passthrough", "-enc_time_base:v:\(k)", "1:90000",
            ]
        }
        expected += [
            "-map", "0:a:0", "-c:a:0", "aac", "-b:a:0", "64000", "-ac:a:0", "2",
            "-max_interleave_delta", "200000", "-avoid_negative_ts", "disabled", "-muxdelay", "0", "-muxpreload", "0",
            "-flush_packets", "1", "-f", "mpegts", "-mpegts_copyts", "1", "-pes_payload_size", "0", "pipe:1",
        ]
        #expect(FFmpegCommand.arguments(ladder: ladder, source: source720p) == expected)
    }

    @Test func mapsRungsInLadderOrderWithPerStreamOptions() {
        let source = TranscoderInput(video: videoTrack(width: 1920, height: 1080), audio: aacTrack())
        let ladder = LadderPreset.conference.ladder.fitted(to: source.video.video!)
        let args = FFmpegCommand.arguments(ladder: ladder, source: source)
        #expect(args.values(after: "-map") == ["[v0]", "[v1]", "[v2]"]) // conference passes audio through
        for (k, rung) in ladder.rungs.enumerated() {
            #expect(args.value(after: "-c:v:\(k)") == "libx264")
            #expect(args.value(after: "-profile:v:\(k)") == "high")
            #expect(args.value(after: "-b:v:\(k)") == String(rung.videoBitrate))
            #expect(args.value(after: "-maxrate:v:\(k)") == String(rung.maxrate))
            #expect(args.value(after: "-bufsize:v:\(k)") == String(rung.bufsize))
            #expect(args.value(after: "-force_key_frames:v:\(k)") == "source")
            #expect(args.value(after: "-forced-idr:v:\(k)") == "1")
            #expect(args.value(after: "-sc_threshold:v:\(k)") == "0")
            // Captions in the source's SEI are written into every rung's.
            #expect(args.value(after: "-a53cc:v:\(k)") == "1")
            #expect(args.value(after: "-fps_mode:v:\(k)") == "passthrough")
            // Each map precedes its own stream's options.
            #expect(args.firstIndex(of: "[v\(k)]")! < args.firstIndex(of: "-c:v:\(k)")!)
        }
        let graph = args.value(after: "-filter_complex") ?? ""
        #expect(graph.contains("split=3[s0][s1][s2];"))
        #expect(graph.hasSuffix("[s0]scale=1920:1080:flags=bicubic,setsar=1[v0];[s1]scale=1280:720:flags=bicubic,setsar=1[v1];"
            + "[s2]scale=960:540:flags=bicubic,setsar=1[v2]"))
        #expect(args.contains("-copyts"))
        #expect(args.value(after: "-mpegts_copyts") == "1")
        #expect(args.value(after: "-avoid_negative_ts") == "disabled")
        #expect(!args.contains("-start_at_zero"))
        #expect(!args.contains { $0.hasPrefix("-c:a") })
        #expect(args.last == "pipe:1")
        #expect(args.value(after: "-i") == "pipe:0")
    }

    @Test func drawsOverlaysOnceBeforeTheSplit() {
        let ladder = LadderPreset.mobile.ladder.fitted(to: source720p.video.video!)
        let args = FFmpegCommand.arguments(
            ladder: ladder, source: source720p, overlays: Overlays(clock: true, watermark: "/srv/logo's [1],x.png"))
        #expect(args.values(after: "-i") == ["pipe:0", "file:/srv/logo's [1],x.png"])
        #expect(args.values(after: "-f").prefix(2) == ["mpegts", "png_pipe"])
        let graph = args.value(after: "-filter_complex") ?? ""
        #expect(graph.hasPrefix(
            "[1:v][0:v:0]scale2ref=w=trunc(oh*mdar/2)*2:h=trunc(ih/12/2)*2[wm][src];"
                + "[src][wm]overlay=x=main_w-overlay_w-main_h/24:y=main_h-overlay_h-main_h/24,"
                + #"drawtext=text='%{gmtime\:%H\\\:%M\\\:%S} UTC':font=monospace:fontcolor=white:fontsize=h/24:x=h/40:y=h/40"#
                + ":box=1:boxcolor=black@0.5:boxborderw=8,format=yuv420p,split=4[s0][s1][s2][s3];"))
        #expect(graph.components(separatedBy: "drawtext").count == 2)
        #expect(graph.components(separatedBy: "overlay=").count == 2)
        #expect(!graph.contains("logo")) // the path is an input, never part of the graph
    }

    @Test func clockOnlyStartsFromTheSource() {
        let ladder = LadderPreset.conference.ladder.fitted(to: source720p.video.video!)
        let graph = FFmpegCommand.arguments(ladder: ladder, source: source720p, overlays: Overlays(clock: true))
            .value(after: "-filter_complex") ?? ""
        #expect(graph.hasPrefix("[0:v:0]drawtext=text="))
        #expect(!graph.contains("[1:v]"))
    }

    @Test func capsTheFrameRateOnlyForAFasterSource() {
        let fast = TranscoderInput(video: videoTrack(width: 1280, height: 720, frameRate: Rational(60, 1)), audio: aacTrack())
        let args = FFmpegCommand.arguments(ladder: LadderPreset.mobile.ladder.fitted(to: fast.video.video!), source: fast)
        let graph = args.value(after: "-filter_complex") ?? ""
        #expect(graph.contains("[s0]select=expr='key+isnan(prev_selected_t)+gte(t-prev_selected_t,0.95*1/30)',scale=1280:720"))
        #expect(graph.components(separatedBy: "select=").count == 5)
        #expect(args.values(after: "-r:v:0") == ["30"])
        #expect((0..<4).allSatisfy { args.value(after: "-r:v:\($0)") == "30" })

        let pal = TranscoderInput(video: videoTrack(width: 1280, height: 720, frameRate: Rational(50, 1)))
        #expect(FFmpegCommand.arguments(ladder: LadderPreset.mobile.ladder.fitted(to: pal.video.video!), source: pal)
            .value(after: "-r:v:0") == "25")
        let ntsc = TranscoderInput(video: videoTrack(width: 1280, height: 720, frameRate: Rational(60000, 1001)))
        #expect(FFmpegCommand.arguments(ladder: LadderPreset.mobile.ladder.fitted(to: ntsc.video.video!), source: ntsc)
            .value(after: "-r:v:0") == "30000/1001")

        let slow = FFmpegCommand.arguments(ladder: LadderPreset.mobile.ladder, source: source720p)
        #expect(!(slow.value(after: "-filter_complex") ?? "").contains("select"))
        #expect(!slow.contains { $0.hasPrefix("-r:") })
    }

    @Test func hevcRungsUseLibx265WithoutSceneCuts() {
        let ladder = Ladder(includeSource: true, rungs: [
            LadderRung(name: "a", width: 640, height: 360, videoBitrate: 800_000),
            LadderRung(name: "b", width: 320, height: 180, codec: .hevc, videoBitrate: 300_000, tune: nil),
        ])
        let args = FFmpegCommand.arguments(ladder: ladder, source: source720p)
        #expect(args.value(after: "-c:v:1") == "libx265")
        #expect(args.value(after: "-profile:v:1") == "main")
        #expect(args.value(after: "-x265-params:v:1") == "scenecut=0:open-gop=0:log-level=error")
        #expect(!args.contains("-sc_threshold:v:1"))
        #expect(!args.contains("-a53cc:v:1"))
        #expect(!args.contains("-tune:v:1"))
        #expect(args.value(after: "-tune:v:0") == "zerolatency")
    }

    @Test func encodesAudioOnlyWhenTheSourceHasSome() {
        let mobile = LadderPreset.mobile.ladder
        let silent = TranscoderInput(video: videoTrack(width: 1280, height: 720))
        #expect(!FFmpegCommand.arguments(ladder: mobile, source: silent).contains("0:a:0"))
        #expect(FFmpegCommand.arguments(ladder: mobile, source: source720p).contains("0:a:0"))
        // Audio to encode and no rung: an audio-only process without a filter graph.
        let audioOnly = Ladder(includeSource: true, rungs: [], audio: AudioEncoding(bitrate: 96_000, channels: 1))
        let args = FFmpegCommand.arguments(ladder: audioOnly, source: source720p, overlays: Overlays(clock: true))
        #expect(!args.contains("-filter_complex"))
        #expect(args.value(after: "-ac:a:0") == "1")
        #expect(args.value(after: "-b:a:0") == "96000")
    }

    @Test func nothingToRunForAPassthroughLadder() {
        #expect(FFmpegCommand.arguments(ladder: LadderPreset.passthrough.ladder, source: source720p).isEmpty)
        let audioButSilentSource = Ladder(includeSource: true, rungs: [], audio: AudioEncoding(bitrate: 64_000))
        #expect(FFmpegCommand.arguments(ladder: audioButSilentSource, source: TranscoderInput(video: videoTrack(width: 64, height: 64))).isEmpty)
    }

    @Test func rejectsUnusableWatermarkPaths() throws {
        #expect(throws: TranscoderError.invalidWatermarkPath("")) { try Overlays(watermark: "").validate() }
        #expect(throws: TranscoderError.self) { try Overlays(watermark: "a\nb.png").validate() }
        #expect(throws: TranscoderError.self) { try Overlays(watermark: "a\u{0}b.png").validate() }
        try Overlays(clock: true, watermark: "/srv/logo %d.png").validate()
    }
}

@Suite struct FilterGraphEscapingTests {
    @Test func escapesOptionValues() {
        #expect(FilterGraphEscaping.optionValue("a:b") == #"a\:b"#)
        #expect(FilterGraphEscaping.optionValue(#"a\b"#) == #"a\\b"#)
        #expect(FilterGraphEscaping.optionValue("it's") == #"it\'s"#)
        #expect(FilterGraphEscaping.optionValue("a,b;[c]") == "a,b;[c]")
    }

    @Test func quotesForTheGraphParser() {
        #expect(FilterGraphEscaping.quoted("a,b;[c]") == "'a,b;[c]'")
        #expect(FilterGraphEscaping.quoted("it's") == #"'it'\''s'"#)
        #expect(FilterGraphEscaping.literal("it's 12:00") == #"'it\'\''s 12\:00'"#)
    }
}
