import Codecs
import MediaCore
import NIOCore
import Testing
import TestSupport
@testable import Containers

/// Streams written by ffmpeg's MPEG-TS muxer (see Vectors/README.md). The expectations were
/// checked against `ffprobe -show_streams -show_packets` of the same files.
@Suite struct TSVectorTests {
    /// Checks one H.264 stream: frame count, key frames, decode order and presentation order.
    func checkVideo(_ samples: [OutputSummary], frames: Int, keyFrames: Int, firstDTS: Int64, firstPTS: Int64) throws {
        #expect(samples.count == frames)
        #expect(samples.filter(\.isSync).count == keyFrames)
        #expect(samples.first?.isSync == true)
        #expect(samples.first?.dts == firstDTS)
        #expect(samples.first.map { $0.dts + Int64($0.compositionOffset) } == firstPTS)
        for (a, b) in zip(samples, samples.dropFirst()) { #expect(b.dts > a.dts) }
        // In presentation order the frames are exactly 1/25 s apart.
        let pts = samples.map { $0.dts + Int64($0.compositionOffset) }.sorted()
        for (a, b) in zip(pts, pts.dropFirst()) { #expect(b - a == 3_600) }
        #expect(samples.contains { $0.compositionOffset > 0 })  // B-frames
        // No access unit delimiter or parameter set is left in a sample: 4-byte lengths, then slices or SEI.
        for sample in samples {
            let units = try LengthPrefixed.split(sample.data, lengthSize: 4)
            #expect(!units.isEmpty)
            #expect(units.allSatisfy { ![7, 8, 9].contains($0.first! & 0x1F) })
        }
    }

    func checkAudio(_ samples: [OutputSummary]) {
        // 95 ADTS frames; ffmpeg's first audio PTS is 131 280 at 90 kHz = 70 016 at 48 kHz.
        #expect(samples.count == 95)
        #expect(samples.first?.dts == 70_016)
        for (a, b) in zip(samples, samples.dropFirst()) { #expect(b.dts - a.dts == 1_024) }
        #expect(samples.allSatisfy { $0.isSync && !$0.data.isEmpty && $0.data.first != 0xFF })
    }

    static let aacTrack = TrackInfo.aac(AudioSpecificConfig(samplingFrequency: 48_000, channelConfiguration: 2))

    @Test func ffmpegH264AndAAC() throws {
        let result = try demux(try Vectors.bytes("h264_aac.ts"))
        #expect(result.tracks.count == 1)
        let tracks = try #require(result.tracks.first)
        #expect(tracks.map(\.pid) == [0x100, 0x101])
        #expect(tracks[0].info.codec == .h264)
        #expect(tracks[0].info.codecString == "avc1.64000c")
        #expect(tracks[0].info.timescale == 90_000)
        #expect(tracks[0].info.video == VideoParameters(width: 320, height: 180, frameRate: Rational(25, 1)))
        #expect(tracks[1].info == Self.aacTrack)
        #expect(tracks[1].info.codecString == "mp4a.40.2")
        try checkVideo(result.samples(0), frames: 50, keyFrames: 2, firstDTS: 126_000, firstPTS: 133_200)
        checkAudio(result.samples(1))
        #expect(result.statistics.droppedPES == 0)
        #expect(result.statistics.droppedSamples == 0)
        #expect(result.statistics.continuityErrors == 0)
        #expect(result.statistics.psiErrors == 0)
    }

    @Test func ffmpegLadderWithTwoVideoStreams() throws {
        let result = try demux(try Vectors.bytes("ladder_2x_h264_aac.ts"))
        #expect(result.tracks.count == 1)
        let tracks = try #require(result.tracks.first)
        // PIDs in output order, as the transcoder maps its renditions.
        #expect(tracks.map(\.pid) == [0x100, 0x101, 0x102])
        #expect(tracks.map(\.info.codecString) == ["avc1.64000c", "avc1.64000b", "mp4a.40.2"])
        #expect(tracks[0].info.video == VideoParameters(width: 320, height: 180, frameRate: Rational(25, 1)))
        #expect(tracks[1].info.video == VideoParameters(width: 160, height: 90, frameRate: Rational(25, 1)))
        #expect(tracks[2].info == Self.aacTrack)
        try checkVideo(result.samples(0), frames: 50, keyFrames: 2, firstDTS: 126_000, firstPTS: 133_200)
        try checkVideo(result.samples(1), frames: 50, keyFrames: 2, firstDTS: 126_000, firstPTS: 133_200)
        checkAudio(result.samples(2))
        // Key frames of the two renditions fall at the same times.
        let keys0 = result.samples(0).filter(\.isSync).map(\.dts)
        let keys1 = result.samples(1).filter(\.isSync).map(\.dts)
        #expect(keys0 == keys1)
        #expect(result.statistics.droppedPES == 0)
        #expect(result.statistics.droppedSamples == 0)
    }

    @Test func ffmpegVectorByteByByte() throws {
        let bytes = try Vectors.bytes("ladder_2x_h264_aac.ts")
        let whole = try demux(bytes)
        let single = try demux(bytes, chunk: { _ in 1 })
        #expect(single.outputs == whole.outputs)
        var rng = SplitMix64(seed: 42)
        let random = try demux(bytes, chunk: { _ in Int.random(in: 1...1500, using: &rng) })
        #expect(random.outputs == whole.outputs)
    }

    @Test func remuxedFFmpegStreamDemuxesTheSame() throws {
        // Demux ffmpeg's stream, mux the samples again with our muxer, demux once more.
        let first = try demux(try Vectors.bytes("h264_aac.ts"))
        let tracks = try #require(first.tracks.first).map(\.info)
        var muxer = try TSMuxer(tracks: tracks)
        var out = ByteBuffer()
        for o in first.outputs where o.tracks == nil {
            try muxer.write(track: o.track, sample: Sample(dts: o.dts, compositionOffset: o.compositionOffset, isSync: o.isSync,
                                                           data: ByteBuffer(bytes: o.data)), into: &out)
        }
        let second = try demux(Array(out.readableBytesView))
        #expect(second.tracks.first?.map(\.info) == tracks)
        // Samples come back per track in the same order with the same content.
        for track in 0..<2 { #expect(second.samples(track) == first.samples(track)) }
    }
}
