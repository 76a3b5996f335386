import Testing
@testable import Transcoder

@Suite struct FFmpegProgressParserTests {
    /// Feeds `text` line by line and returns every non-`.none` result.
    func feed(_ text: String, into parser: inout FFmpegProgressParser) -> [FFmpegProgressParser.Line] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { parser.feed(line: $0) }
            .filter { $0 != .none }
    }

    /// Two blocks as FFmpeg 5.1 printed them for a four-rung ladder under -copyts (the first
    /// block has a negative position and a meaningless bitrate).
    static let ffmpegOutput = """
        frame=3
        fps=0.00
        stream_0_0_q=28.0
        stream_0_1_q=26.0
        stream_0_2_q=26.0
        stream_0_3_q=26.0
        bitrate=  -0.0kbits/s
        total_size=0
        out_time_us=-1533344
        out_time_ms=-1533344
        out_time=-00:00:01.533344
        dup_frames=0
        drop_frames=0
        speed=N/A
        progress=continue
        [aac @ 0x55d1c0a2e7c0] Queue input is backward in time
        frame=240
        fps=78.89
        stream_0_0_q=27.0
        bitrate=5365.3kbits/s
        total_size=5368904
        out_time_us=8005322
        out_time_ms=8005322
        out_time=00:00:08.005322
        dup_frames=0
        drop_frames=2
        speed=2.63x
        progress=end

        """

    @Test func parsesFFmpegBlocks() {
        var parser = FFmpegProgressParser()
        let lines = feed(Self.ffmpegOutput, into: &parser)
        #expect(lines == [
            .progress(FFmpegProgress(
                frame: 3, fps: 0, bitrateKilobitsPerSecond: -0.0, totalSizeBytes: 0, outTimeMicroseconds: -1_533_344,
                duplicatedFrames: 0, droppedFrames: 0, speed: nil, isEnd: false)),
            .message("[aac @ 0x55d1c0a2e7c0] Queue input is backward in time"),
            .progress(FFmpegProgress(
                frame: 240, fps: 78.89, bitrateKilobitsPerSecond: 5365.3, totalSizeBytes: 5_368_904,
                outTimeMicroseconds: 8_005_322, duplicatedFrames: 0, droppedFrames: 2, speed: 2.63, isEnd: true)),
        ])
        #expect(parser.ignoredLines == 0)
    }

    @Test func reportsNotApplicableValuesAsNil() {
        var parser = FFmpegProgressParser()
        let lines = feed("frame=1\nfps=N/A\nbitrate=N/A\ntotal_size=N/A\nout_time_us=N/A\nspeed=N/A\nprogress=continue", into: &parser)
        #expect(lines == [.progress(FFmpegProgress(frame: 1))])
    }

    @Test func outTimeMillisecondsIsMicrosecondsToo() {
        var parser = FFmpegProgressParser()
        #expect(feed("out_time_ms=2000000\nprogress=continue", into: &parser) == [.progress(FFmpegProgress(outTimeMicroseconds: 2_000_000))])
        // out_time_us wins, in either order.
        #expect(feed("out_time_ms=5\nout_time_us=7\nprogress=continue", into: &parser) == [.progress(FFmpegProgress(outTimeMicroseconds: 7))])
        #expect(feed("out_time_us=7\nout_time_ms=5\nprogress=continue", into: &parser) == [.progress(FFmpegProgress(outTimeMicroseconds: 7))])
    }

    @Test func errorLinesAreMessagesEvenWithAnEqualsSign() {
        var parser = FFmpegProgressParser()
        let lines = feed("""
            pipe:0: Invalid data found when processing input
            Error while opening encoder for output stream #0:0 - maybe incorrect parameters such as bit_rate, rate, width or height
            [libx264 @ 0x1] bitrate=0 is invalid
            Frame=3
            =5
            """, into: &parser)
        #expect(lines.count == 5)
        #expect(lines.allSatisfy { if case .message = $0 { true } else { false } })
        #expect(lines[2] == .message("[libx264 @ 0x1] bitrate=0 is invalid"))
    }

    @Test func acceptsCarriageReturnLineFeedAndIgnoresEmptyLines() {
        var parser = FFmpegProgressParser()
        #expect(parser.feed(line: "frame=9\r\n") == .none)
        #expect(parser.feed(line: "") == .none)
        #expect(parser.feed(line: "progress=continue\r") == .progress(FFmpegProgress(frame: 9)))
    }

    @Test func ignoresLinesAboveTheLengthLimit() {
        var parser = FFmpegProgressParser()
        let long = "x" + String(repeating: "y", count: FFmpegProgressParser.maximumLineLength)
        #expect(parser.feed(line: Substring(long)) == .none)
        #expect(parser.ignoredLines == 1)
        let atLimit = String(repeating: "y", count: FFmpegProgressParser.maximumLineLength)
        #expect(parser.feed(line: Substring(atLimit)) == .message(atLimit))
    }

    @Test func capsTheKeysOfABlock() {
        var parser = FFmpegProgressParser()
        for index in 0..<FFmpegProgressParser.maximumKeysPerBlock {
            #expect(parser.feed(line: Substring("stream_0_\(index)_q=1.0")) == .none)
        }
        #expect(parser.feed(line: "frame=5") == .none) // beyond the cap: dropped
        #expect(parser.ignoredLines == 1)
        #expect(parser.feed(line: "progress=continue") == .progress(FFmpegProgress()))
        // The next block starts with a fresh budget.
        #expect(parser.feed(line: "frame=6") == .none)
        #expect(parser.feed(line: "progress=continue") == .progress(FFmpegProgress(frame: 6)))
    }
}
