import Foundation
import MediaCore
import Testing
@testable import Transcoder

private let ffmpeg = "/usr/bin/ffmpeg"
private let ffprobe = "/usr/bin/ffprobe"
private let toolsInstalled = FileManager.default.isExecutableFile(atPath: ffmpeg)
    && FileManager.default.isExecutableFile(atPath: ffprobe)

/// Runs the command line of ``FFmpegCommand`` through real FFmpeg and checks the result with
/// ffprobe: the rungs in ladder order at their sizes, every frame at its source PTS, and the
/// keyframes exactly where the source has them.
@Suite struct FFmpegIntegrationTests {
    @Test(.enabled(if: toolsInstalled, "needs ffmpeg and ffprobe in /usr/bin (Debian package ffmpeg)"))
    func transcodesATinyLadderWithKeyframesAlignedOnTheSource() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("transcoder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.ts")
        let output = directory.appendingPathComponent("out.ts")
        let watermark = directory.appendingPathComponent("logo %d.png") // '%d' must not become a pattern

        // 2 s of 320x180 at 30 fps with B-frames and a keyframe every 0.5 s, and stereo AAC, as
        // MPEG-TS starting at 10 s (Antenne's writer keeps timestamps well above zero).
        #expect(try run(ffmpeg, [
            "-hide_banner", "-loglevel", "error", "-nostdin",
            "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30:duration=2",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
            "-c:v", "libx264", "-preset", "veryfast", "-g", "15", "-keyint_min", "15", "-sc_threshold", "0", "-bf", "2",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2", "-output_ts_offset", "10", "-f", "mpegts", input.path,
        ]).0 == 0)
        #expect(try run(ffmpeg, [
            "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i", "color=c=red@0.5:size=64x32,format=rgba",
            "-frames:v", "1", "-f", "image2", "-update", "1", watermark.path,
        ]).0 == 0)

        let source = TranscoderInput(video: videoTrack(width: 320, height: 180), audio: aacTrack())
        let ladder = try tinyLadder().fitted(to: VideoParameters(width: 320, height: 180, frameRate: Rational(30, 1)))
        let overlays = Overlays(watermark: watermark.path)
        try overlays.validate()
        let arguments = FFmpegCommand.arguments(ladder: ladder, source: source, overlays: overlays)

        // Source on stdin, renditions on stdout, progress and errors on stderr: as in production.
        let (status, stderr) = try run(ffmpeg, arguments, stdin: input, stdout: output)
        var parser = FFmpegProgressParser()
        var blocks: [FFmpegProgress] = []
        var messages: [String] = []
        for line in stderr.split(separator: "\n") {
            switch parser.feed(line: line) {
            case .progress(let progress): blocks.append(progress)
            case .message(let message): messages.append(message)
            case .none: break
            }
        }
        #expect(status == 0)
        #expect(messages == [])
        #expect(blocks.last?.isEnd == true)
        #expect(blocks.last?.frame == 60)

        let before = try probe(input)
        let after = try probe(output)
        #expect(after.streams.map(\.summary) == ["0x100 h264 256x144", "0x101 h264 160x90", "0x102 aac"])

        let sourceVideo = before.packets(ofStream: try #require(before.streams.first { $0.codec_type == "video" }).index)
        let sourceKeyframes = sourceVideo.filter(\.isKeyframe).compactMap(\.pts).sorted()
        #expect(sourceKeyframes.count == 4)
        for stream in after.streams where stream.codec_type == "video" {
            let packets = after.packets(ofStream: stream.index)
            #expect(packets.compactMap(\.pts).sorted() == sourceVideo.compactMap(\.pts).sorted(), "PTS of \(stream.summary)")
            #expect(packets.filter(\.isKeyframe).compactMap(\.pts).sorted() == sourceKeyframes, "keyframes of \(stream.summary)")
            #expect(packets.allSatisfy { $0.dts == $0.pts }, "no B-frames in \(stream.summary)")
        }
        // Audio keeps the source's timing, shifted by the AAC encoder's 1024 priming samples.
        let sourceAudio = before.packets(ofStream: try #require(before.streams.first { $0.codec_type == "audio" }).index)
        let audio = after.packets(ofStream: 2)
        #expect(audio.compactMap(\.pts).min() == sourceAudio.compactMap(\.pts).min().map { $0 - 1024 * 90_000 / 48_000 })
    }

    /// Two audio programmes in, two AAC streams out, each keeping its language: the command maps
    /// and encodes every source audio track, and FFmpeg copies the ISO 639 descriptors.
    @Test(.enabled(if: toolsInstalled, "needs ffmpeg and ffprobe in /usr/bin (Debian package ffmpeg)"))
    func encodesEveryAudioLanguage() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("transcoder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.ts")
        let output = directory.appendingPathComponent("out.ts")
        #expect(try run(ffmpeg, [
            "-hide_banner", "-loglevel", "error", "-nostdin",
            "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=1",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=1",
            "-f", "lavfi", "-i", "sine=frequency=880:sample_rate=48000:duration=1",
            "-map", "0:v", "-map", "1:a", "-map", "2:a", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0",
            "-c:a", "aac", "-ac", "1", "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=fra",
            "-output_ts_offset", "10", "-f", "mpegts", input.path,
        ]).0 == 0)
        var english = aacTrack(channels: 1)
        english.language = LanguageTag("eng")
        var french = aacTrack(channels: 1)
        french.language = LanguageTag("fra")
        let source = TranscoderInput(video: videoTrack(width: 160, height: 90), audio: english, otherAudio: [french])
        let ladder = Ladder(includeSource: true, rungs: [], audio: AudioEncoding(bitrate: 64_000, channels: 2))
        let arguments = FFmpegCommand.arguments(ladder: ladder, source: source)
        #expect(arguments.values(after: "-map") == ["0:a:0", "0:a:1"])
        let (status, stderr) = try run(ffmpeg, arguments, stdin: input, stdout: output)
        #expect(status == 0, "\(stderr)")
        let (_, streams) = try run(ffprobe, ["-v", "error", "-show_entries", "stream=codec_name,channels:stream_tags=language",
                                            "-of", "csv=p=0", output.path])
        // ffprobe lists the program's streams first (no tags there), then every stream.
        #expect(streams.split(separator: "\n").suffix(2) == ["aac,2,eng", "aac,2,fra"])
    }

    private func tinyLadder() throws -> Ladder {
        let ladder = Ladder(
            includeSource: true,
            rungs: [
                LadderRung(name: "a", width: 256, height: 144, videoBitrate: 300_000, preset: "ultrafast"),
                LadderRung(name: "b", width: 160, height: 90, profile: "main", videoBitrate: 150_000, preset: "ultrafast"),
            ],
            audio: AudioEncoding(bitrate: 64_000, channels: 2))
        try ladder.validate()
        return ladder
    }
}

// MARK: - ffprobe

private struct Probe: Decodable {
    struct Stream: Decodable {
        var index: Int
        var id: String?
        var codec_type: String
        var codec_name: String
        var width: Int?
        var height: Int?

        var summary: String {
            let size = width.map { " \($0)x\(height ?? 0)" } ?? ""
            return "\(id ?? "?") \(codec_name)\(size)"
        }
    }

    struct Packet: Decodable {
        var stream_index: Int
        var pts: Int64?
        var dts: Int64?
        var flags: String

        var isKeyframe: Bool { flags.hasPrefix("K") }
    }

    var streams: [Stream]
    var packets: [Packet]

    func packets(ofStream index: Int) -> [Packet] { packets.filter { $0.stream_index == index } }
}

private func probe(_ file: URL) throws -> Probe {
    let (status, json) = try run(ffprobe, ["-v", "error", "-of", "json", "-show_streams", "-show_packets", file.path])
    #expect(status == 0)
    return try JSONDecoder().decode(Probe.self, from: Data(json.utf8))
}

// MARK: - Processes

/// Runs `executable` to completion and returns its status and its stdout (or, when `stdout` is
/// a file, its stderr).
private func run(_ executable: String, _ arguments: [String], stdin: URL? = nil, stdout: URL? = nil) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
    let captured = Pipe()
    if let stdout {
        guard FileManager.default.createFile(atPath: stdout.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: stdout.path])
        }
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = captured
    } else {
        process.standardOutput = captured
        process.standardError = FileHandle.nullDevice
    }
    try process.run()
    let data = captured.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
