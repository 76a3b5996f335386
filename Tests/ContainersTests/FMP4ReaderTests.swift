import Foundation
import MediaCore
import NIOCore
import Testing
@testable import Containers

/// The fMP4 reader against our own segments and ffmpeg's, checked with `ffprobe -show_packets`.
@Suite struct FMP4ReaderTests {
    @Test func readsOurInitSegments() throws {
        let (video, audio) = try ClipVector.renditions()
        let v = try FMP4Reader.track(initSegment: video.initSegment)
        #expect(v.mediaType == .video)
        #expect(v.timescale == 90_000)
        #expect(v.trackID == 1)
        #expect((v.width, v.height) == (320, 180))
        #expect(v.sampleEntryType == "avc1")
        #expect(v.language == "und")
        #expect(boxPaths(ByteBuffer(bytes: v.sampleEntry)) == ["/avc1", "/avc1/avcC"])
        let a = try FMP4Reader.track(initSegment: audio.initSegment)
        #expect(a.mediaType == .audio)
        #expect(a.timescale == 48_000)
        #expect(a.sampleEntryType == "mp4a")
        #expect(boxPaths(ByteBuffer(bytes: a.sampleEntry)) == ["/mp4a", "/mp4a/esds"])
    }

    /// Every frame written comes back with its times, flags and bytes, across parts and segments.
    @Test func readsOurSegments() throws {
        for rendition in try [ClipVector.renditions().video, ClipVector.renditions().audio] {
            let track = try FMP4Reader.track(initSegment: rendition.initSegment)
            var samples: [MP4Sample] = []
            for (n, segment) in rendition.segments.enumerated() {
                try FMP4Reader.appendSamples(inSegment: segment, track: track, source: n, to: &samples)
            }
            // 4 s of video and 4.03 s of audio in 2 s segments.
            #expect(rendition.segments.count == (track.mediaType == .video ? 2 : 3))
            #expect(samples.count == rendition.frames.count)
            for (sample, frame) in zip(samples, rendition.frames) {
                #expect(sample.decodeTime == frame.dts)
                #expect(sample.compositionOffset == frame.cts)
                #expect(sample.isSync == frame.key)
                #expect(Int(sample.size) == frame.size)
            }
            for (a, b) in zip(samples, samples.dropFirst()) where a.source == b.source {
                #expect(b.decodeTime == a.decodeTime + Int64(a.duration))
            }
        }
    }

    /// What ffprobe reads from our segments concatenated behind the init segment.
    @Test(.enabled(if: ffmpegAvailable)) func matchesFFprobeOnOurSegments() throws {
        let dir = try TemporaryDirectory()
        for rendition in try [ClipVector.renditions().video, ClipVector.renditions().audio] {
            var file = rendition.initSegment
            let track = try FMP4Reader.track(initSegment: file)
            var samples: [MP4Sample] = []
            var starts: [Int] = []
            for (n, segment) in rendition.segments.enumerated() {
                starts.append(file.readableBytes)
                try FMP4Reader.appendSamples(inSegment: segment, track: track, source: n, to: &samples)
                file.writeImmutableBuffer(segment)
            }
            let packets = try probePackets(try dir.write(file, "\(track.sampleEntryType).mp4"), stream: "0")
            try compare(samples, packets) { starts[$0.source] + $0.offset }
            for (sample, packet) in zip(samples, packets) where packet.duration != .min {
                }
        }
    }

    /// ffmpeg's own fragmented MP4 (tfhd defaults, first_sample_flags, trun version 0, one file
    /// holding init and fragments) reads the same as ffprobe says.
    @Test(.enabled(if: ffmpegAvailable)) func matchesFFprobeOnFFmpegFragments() throws {
        let dir = try TemporaryDirectory()
        let flv = try dir.write(ByteBuffer(bytes: try Vectors.bytes("clip_h264_aac.flv")), "in.flv")
        for (map, type, timescale) in [("0:v", "avc1", UInt32(90_000)), ("0:a", "mp4a", UInt32(48_000))] {
            let out = dir.url.appendingPathComponent("ffmpeg-\(type).mp4").path
            let (status, _, errors) = try run(ffmpegPath, [
                "-v", "error", "-i", flv, "-map", map, "-c", "copy", "-video_track_timescale", "90000",
                "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-frag_duration", "500000", "-f", "mp4", out,
            ])
            #expect(status == 0, "\(errors)")
            let file = ByteBuffer(bytes: try Data(contentsOf: URL(fileURLWithPath: out)))
            let track = try FMP4Reader.track(initSegment: file)
            #expect(track.sampleEntryType == type)
            #expect(track.timescale == timescale)
            let samples = try FMP4Reader.samples(inSegment: file, track: track, source: 0)
            try compare(samples, try probePackets(out, stream: "0")) { $0.offset }
        }
    }

    /// Times, sizes, flags and file positions; durations as the distance between decode times
    /// (ffprobe reports a nominal frame duration for ffmpeg's fragments).
    func compare(_ samples: [MP4Sample], _ packets: [ProbedPacket], position: (MP4Sample) -> Int) throws {
        try #require(samples.count == packets.count)
        #expect(!packets.isEmpty)
        for (sample, packet) in zip(samples, packets) {
            #expect(sample.decodeTime == packet.dts)
            #expect(sample.presentationTime == packet.pts)
            #expect(Int(sample.size) == packet.size)
            #expect(sample.isSync == packet.key)
            #expect(position(sample) == packet.pos)
        }
        for (sample, next) in zip(samples, samples.dropFirst()) {
            #expect(sample.decodeTime + Int64(sample.duration) == next.decodeTime)
        }
    }
}
