import Foundation
import MediaCore
import NIOCore
import Testing
@testable import Containers

/// Clips written from archived renditions, read back by ffprobe and ffmpeg.
@Suite struct MP4ClipWriterTests {
    struct Archive {
        var video: MP4Track
        var audio: MP4Track
        var videoSamples: [MP4Sample]
        var audioSamples: [MP4Sample]
        /// Video segments, then audio segments: the index is `MP4Sample.source`.
        var sources: [ByteBuffer]
    }

    static func archive() throws -> Archive {
        let (video, audio) = try ClipVector.renditions()
        let v = try FMP4Reader.track(initSegment: video.initSegment)
        let a = try FMP4Reader.track(initSegment: audio.initSegment)
        let sources = video.segments + audio.segments
        var videoSamples: [MP4Sample] = [], audioSamples: [MP4Sample] = []
        for (n, segment) in sources.enumerated() {
            if n < video.segments.count {
                try FMP4Reader.appendSamples(inSegment: segment, track: v, source: n, to: &videoSamples)
            } else {
                try FMP4Reader.appendSamples(inSegment: segment, track: a, source: n, to: &audioSamples)
            }
        }
        return Archive(video: v, audio: a, videoSamples: videoSamples, audioSamples: audioSamples, sources: sources)
    }

    struct Probe: Decodable {
        struct Stream: Decodable {
            var codec_name: String
            var codec_type: String
            var width: Int?
            var height: Int?
            var start_time: String?
            var duration: String?
            var nb_frames: String?
        }
        struct Format: Decodable { var duration: String }
        var streams: [Stream]
        var format: Format
    }

    func probe(_ path: String) throws -> Probe {
        let (status, json, errors) = try run(ffprobePath, ["-v", "warning", "-show_streams", "-show_format", "-of", "json", path])
        #expect(status == 0)
        #expect(errors.isEmpty, "\(errors)")
        return try JSONDecoder().decode(Probe.self, from: Data(json.utf8))
    }

    func expectDecodesCleanly(_ path: String) throws {
        let (status, _, errors) = try run(ffmpegPath, ["-v", "warning", "-i", path, "-f", "null", "-"])
        #expect(status == 0)
        #expect(errors.isEmpty, "\(errors)")
    }

    /// The whole archive as one clip: faststart layout, both streams, every frame, and neither
    /// ffprobe nor ffmpeg prints a warning.
    @Test(.enabled(if: ffmpegAvailable)) func wholeArchiveClip() throws {
        let archive = try Self.archive()
        let layout = try MP4ClipWriter.layout(tracks: [
            MP4ClipTrack(track: archive.video, samples: archive.videoSamples),
            MP4ClipTrack(track: archive.audio, samples: archive.audioSamples),
        ])
        let file = try layout.assembled(sources: archive.sources)
        #expect(Int64(file.readableBytes) == layout.totalSize)
        #expect(topLevelBoxes(file).map(\.type) == ["ftyp", "moov", "mdat"])
        let paths = boxPaths(layout.header)
        #expect(paths.contains("/moov/trak/mdia/minf/stbl/stco"))
        #expect(paths.contains("/moov/trak/mdia/minf/stbl/ctts"))
        #expect(paths.contains("/moov/trak/mdia/minf/stbl/stss"))
        #expect(paths.contains("/moov/trak/edts"))
        // Ranges tile the payload exactly.
        var end = Int64(layout.header.readableBytes)
        for range in layout.ranges {
            #expect(range.fileOffset == end)
            end += Int64(range.length)
        }
        #expect(end == layout.totalSize)

        let dir = try TemporaryDirectory()
        let path = try dir.write(file, "clip.mp4")
        let info = try probe(path)
        #expect(info.streams.map(\.codec_name) == ["h264", "aac"])
        #expect(info.streams[0].width == 320 && info.streams[0].height == 180)
        #expect(info.streams[0].nb_frames == "120")
        #expect(info.streams[1].nb_frames == String(archive.audioSamples.count))
        // The archive's audio starts at 0 and its first picture is presented 6030 ticks (67 ms) later:
        // the clip keeps that, with an empty edit on the video track.
        #expect(info.streams[0].start_time == "0.067000")
        #expect(info.streams[1].start_time == "0.000000")
        let duration = try #require(Double(info.format.duration))
        #expect(abs(duration - 4.0) < 0.1, "\(duration)")
        try expectDecodesCleanly(path)

        // Every packet is where the sample table says, with the archive's bytes.
        let packets = try probePackets(path, stream: "v:0")
        #expect(packets.map(\.size) == archive.videoSamples.map { Int($0.size) })
        #expect(packets.map(\.key) == archive.videoSamples.map(\.isSync))
        #expect(packets.first?.pts == 6030)
        for (packet, sample) in zip(packets, archive.videoSamples) {
            let source = archive.sources[sample.source]
            #expect(file.getSlice(at: packet.pos, length: packet.size) == source.getSlice(at: sample.offset, length: Int(sample.size)))
        }
    }

    /// A cut in the middle starts on a key frame, keeps whole GOPs and lasts what was asked
    /// give or take one GOP at each end.
    @Test(.enabled(if: ffmpegAvailable)) func cutClip() throws {
        let archive = try Self.archive()
        let start = MediaTime(ticks: 1_000, timescale: 1_000), end = MediaTime(ticks: 3_000, timescale: 1_000)
        let selection = ClipCut.select(video: archive.videoSamples[...], videoTimescale: 90_000,
                                       audio: archive.audioSamples[...], audioTimescale: 48_000, start: start, end: end)
        let video = archive.videoSamples[selection.video]
        #expect(video.first?.isSync == true)
        #expect(selection.video.upperBound == archive.videoSamples.count || archive.videoSamples[selection.video.upperBound].isSync)
        // Key frames every 10 frames (1/3 s): the one before 1 s is frame 20, the one from 3 s is frame 90.
        #expect(selection.video == 20..<90)
        let audio = archive.audioSamples[selection.audio]
        let videoStart = MediaTime(ticks: try #require(video.first).presentationTime, timescale: 90_000)
        #expect(!(MediaTime(ticks: try #require(audio.first).decodeTime, timescale: 48_000) < videoStart))

        let layout = try MP4ClipWriter.layout(tracks: [MP4ClipTrack(track: archive.video, samples: video),
                                                       MP4ClipTrack(track: archive.audio, samples: audio)])
        let dir = try TemporaryDirectory()
        let path = try dir.write(try layout.assembled(sources: archive.sources), "cut.mp4")
        let info = try probe(path)
        #expect(info.streams.map(\.codec_type) == ["video", "audio"])
        #expect(info.streams[0].start_time == "0.000000")
        let audioStart = try #require(Double(info.streams[1].start_time ?? ""))
        #expect(audioStart >= 0 && audioStart < 1024.0 / 48_000, "\(audioStart)")
        let duration = try #require(Double(info.format.duration))
        let gop = 10.0 / 30
        #expect(duration >= 2.0 - 0.05 && duration < 2.0 + 2 * gop, "\(duration)")
        #expect(try probePackets(path, stream: "v:0").first?.key == true)
        try expectDecodesCleanly(path)
    }

    /// Audio only: cut by time.
    @Test(.enabled(if: ffmpegAvailable)) func audioOnlyClip() throws {
        let archive = try Self.archive()
        let range = ClipCut.selectAudio(archive.audioSamples[...], timescale: 48_000,
                                        start: MediaTime(ticks: 500, timescale: 1_000), end: MediaTime(ticks: 1_500, timescale: 1_000))
        let layout = try MP4ClipWriter.layout(tracks: [MP4ClipTrack(track: archive.audio, samples: archive.audioSamples[range])])
        #expect(layout.duration.timescale == 48_000)
        let dir = try TemporaryDirectory()
        let path = try dir.write(try layout.assembled(sources: archive.sources), "audio.mp4")
        let info = try probe(path)
        #expect(info.streams.map(\.codec_name) == ["aac"])
        let duration = try #require(Double(info.format.duration))
        #expect(abs(duration - 1.0) <= 2 * 1024.0 / 48_000, "\(duration)")
        try expectDecodesCleanly(path)
    }
}
