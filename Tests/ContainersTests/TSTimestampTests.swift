import Codecs
import MediaCore
import NIOCore
import Testing
@testable import Containers

@Suite struct TSTimestampTests {
    static let wrap: Int64 = 1 << 33

    @Test func unwrapperTakesTheNearestValue() {
        var u = TSTimestampUnwrapper(reference: 0)
        #expect(u.unwrap(UInt64(Self.wrap - 100)) == -100)  // just before 0 is negative
        #expect(u.unwrap(50) == 50)
        #expect(u.unwrap(UInt64(Self.wrap - 10)) == -10)  // small step back
        var late = TSTimestampUnwrapper(reference: 3 * Self.wrap)
        #expect(late.unwrap(5) == 3 * Self.wrap + 5)
        #expect(late.unwrap(UInt64(Self.wrap - 1)) == 3 * Self.wrap - 1)
        #expect(late.unwrap(UInt64(Self.wrap - 1 - (1 << 31))) == 3 * Self.wrap - 1 - (1 << 31))  // a quarter wrap back
    }

    @Test func nearestRescaleSurvivesARoundTrip() {
        for rate: UInt32 in [8_000, 22_050, 44_100, 48_000, 88_200] {
            for samples in stride(from: Int64(-5_000), through: 5_000_000, by: 1_023) {
                let ticks = TSTime.rescaleNearest(samples, from: rate, to: 90_000)
                #expect(TSTime.rescaleNearest(ticks, from: 90_000, to: rate) == samples)
            }
        }
    }

    /// Video-only samples with tiny fake slices (the demuxer does not parse slices).
    static func videoSamples(from start: Int64, count: Int, bFrames: Bool) -> [Sample] {
        (0..<count).map { i in
            let sync = i % 25 == 0
            let nal: [UInt8] = sync ? [0x65, 0x88, UInt8(i & 0xFF)] : [0x41, 0x9A, UInt8(i & 0xFF)]
            return Sample(dts: start + Int64(i) * 3_600, compositionOffset: bFrames ? 7_200 : 0,
                          isSync: sync, data: ByteBuffer(bytes: LengthPrefixed.join([nal])))
        }
    }

    static func mux(_ samples: [Sample], offset: Int64 = 0, audio: [Sample] = []) throws -> [UInt8] {
        let source = try FLVSource.load()
        let tracks = audio.isEmpty ? [source.tracks[0]] : source.tracks
        var muxer = try TSMuxer(tracks: tracks, timestampOffset: offset)
        var out = ByteBuffer()
        for s in samples { try muxer.write(track: 0, sample: s, into: &out) }
        for s in audio { try muxer.write(track: 1, sample: s, into: &out) }
        return Array(out.readableBytesView)
    }

    @Test func samplesCrossingTheWrapComeOutContinuous() throws {
        let start = Self.wrap - 90_000  // one second before the 33-bit clock wraps
        let input = Self.videoSamples(from: start, count: 100, bFrames: true)
        let ts = try Self.mux(input)
        // Told where the stream starts, the demuxer gives back the very times.
        let exact = try demux(ts, demuxer: TSDemuxer(expectedStart: start)).samples(0)
        #expect(exact.map(\.dts) == input.map(\.dts))
        #expect(exact.map(\.compositionOffset) == input.map(\.compositionOffset))
        #expect(exact.last.map(\.dts)! > Self.wrap)
        // Expecting 0, it starts one second before 0 and counts on across the wrap.
        let near0 = try demux(ts).samples(0)
        #expect(near0.map(\.dts) == input.map { $0.dts - Self.wrap })
        #expect(near0.first?.dts == -90_000)
    }

    @Test func timestampOffsetIsAddedByTheMuxerAndSubtractedByTheDemuxer() throws {
        let input = Self.videoSamples(from: 0, count: 30, bFrames: false)
        let offset: Int64 = 1_000_000
        let ts = try Self.mux(input, offset: offset)
        // The first PES (third packet, after PAT and PMT) says PTS = 0 + offset.
        let packet = try TSPacket(Array(ts[376..<564]))
        #expect(try PESHeader(parsing: Array(packet.payload)).pts == UInt64(offset))
        #expect(packet.pcrBase == UInt64(offset - TSMuxer.pcrDelay))
        let same = try demux(ts, demuxer: TSDemuxer(timestampOffset: offset)).samples(0)
        #expect(same.map(\.dts) == input.map(\.dts))
        let raw = try demux(ts).samples(0)
        #expect(raw.map(\.dts) == input.map { $0.dts + offset })
        // expectedStart is in output time: with the offset, the first timestamp lands near it.
        let later = try demux(ts, demuxer: TSDemuxer(timestampOffset: offset, expectedStart: 5 * Self.wrap)).samples(0)
        #expect(later.map(\.dts) == input.map { $0.dts + 5 * Self.wrap })
    }

    @Test func negativeDTSAtTheStartComesOutNegative() throws {
        // B-frames at stream start: DTS two frames before the first PTS, which is 0.
        let input = Self.videoSamples(from: -7_200, count: 30, bFrames: true)
        let audio = (0..<20).map { i in
            Sample(dts: Int64(i - 1) * 1_024, isSync: true, data: ByteBuffer(bytes: [0x21, 0x10, UInt8(i)]))
        }
        let ts = try Self.mux(input, audio: audio)
        let result = try demux(ts)
        #expect(result.samples(0).map(\.dts) == input.map(\.dts))
        #expect(result.samples(0).first?.dts == -7_200)
        #expect(result.samples(0).first.map { $0.dts + Int64($0.compositionOffset) } == 0)
        #expect(result.samples(1).map(\.dts) == audio.map(\.dts))
        #expect(result.samples(1).first?.dts == -1_024)
    }
}
