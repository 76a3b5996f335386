import Codecs
import MediaCore
import NIOCore
import Testing
import TestSupport
@testable import Containers

@Suite struct TSRoundTripTests {
    /// ffmpeg starts its own TS output 1.4 s in; the same offset keeps every written time positive.
    static let offset: Int64 = 126_000

    @Test func muxThenDemuxGivesBackEverySampleAndTrack() throws {
        let source = try FLVSource.load()
        let ts = try source.mux(timestampOffset: Self.offset)
        #expect(ts.readableBytes % 188 == 0)
        let result = try demux(Array(ts.readableBytesView), demuxer: TSDemuxer(timestampOffset: Self.offset))

        // One announcement, before the first sample.
        #expect(result.tracks.count == 1)
        #expect(result.outputs.first?.tracks != nil)
        let tracks = try #require(result.tracks.first)
        #expect(tracks.map(\.pid) == [0x100, 0x101])
        // Video: the avcC rebuilt from in-band SPS/PPS is ffmpeg's, byte for byte.
        #expect(tracks[0].info == source.tracks[0])
        #expect(tracks[0].info.codecString == "avc1.64001e")
        #expect(tracks[0].info.video == VideoParameters(width: 640, height: 360, frameRate: Rational(30, 1)))
        // Audio: ADTS cannot carry the ASC's explicit "no SBR" extension; everything else matches.
        var audio = tracks[1].info
        #expect(try AudioSpecificConfig(parsing: audio.decoderConfig) == AudioSpecificConfig(parsing: source.tracks[1].decoderConfig))
        audio.decoderConfig = source.tracks[1].decoderConfig
        #expect(audio == source.tracks[1])

        for track in 0..<2 {
            let expected = source.samples.filter { $0.track == track }.map(\.sample)
            let got = result.samples(track)
            #expect(got.count == expected.count)
            #expect(got.count == (track == 0 ? 60 : 88))
            for (g, e) in zip(got, expected) {
                #expect(g.dts == e.dts)
                #expect(g.compositionOffset == e.compositionOffset)
                #expect(g.isSync == e.isSync)
                #expect(g.data == Array(e.data.readableBytesView))
            }
        }
        // B-frames: some composition offsets are positive.
        #expect(result.samples(0).contains { $0.compositionOffset > 0 })
        #expect(result.statistics.droppedPES == 0)
        #expect(result.statistics.droppedSamples == 0)
        #expect(result.statistics.continuityErrors == 0)
        #expect(result.statistics.samples == 148)
    }

    @Test func byteByByteAndRandomChunksGiveTheSameOutputs() throws {
        let ts = Array(try FLVSource.load().mux(timestampOffset: Self.offset).readableBytesView)
        let whole = try demux(ts)
        #expect(whole.outputs.count == 149)
        let byteByByte = try demux(ts, chunk: { _ in 1 })
        #expect(byteByByte.outputs == whole.outputs)
        #expect(byteByByte.statistics == whole.statistics)
        for seed in [1, 2, 3] as [UInt64] {
            var rng = SplitMix64(seed: seed)
            let chunked = try demux(ts, chunk: { _ in Int.random(in: 1...700, using: &rng) })
            #expect(chunked.outputs == whole.outputs)
        }
    }

    @Test func muxedPacketsAreWellFormed() throws {
        let source = try FLVSource.load()
        let ts = Array(try source.mux(timestampOffset: Self.offset).readableBytesView)
        var patCount = 0, pcrs: [UInt64] = [], counters: [UInt16: UInt8] = [:]
        var videoStarts = 0, randomAccess = 0
        for start in stride(from: 0, to: ts.count, by: 188) {
            let packet = try TSPacket(Array(ts[start..<start + 188]))
            if packet.pid == 0 { patCount += 1 }
            if let pcr = packet.pcrBase {
                #expect(packet.pid == 0x100)
                pcrs.append(pcr)
            }
            if packet.hasPayload {
                if let last = counters[packet.pid] { #expect(packet.continuityCounter == (last + 1) & 0x0F) }
                counters[packet.pid] = packet.continuityCounter
            }
            if packet.pid == 0x100, packet.payloadUnitStart {
                videoStarts += 1
                if packet.randomAccess { randomAccess += 1 }
            }
        }
        // PAT first, then again before the second key frame.
        #expect(Array(ts.prefix(4)) == [0x47, 0x40, 0x00, 0x10])
        #expect(patCount == 2)
        #expect(videoStarts == 60)
        #expect(randomAccess == 2)
        // PCR never goes back and never pauses more than 40 ms.
        #expect(pcrs.count > 1)
        for (a, b) in zip(pcrs, pcrs.dropFirst()) {
            #expect(b > a)
            #expect(b - a <= 3_600)
        }
    }

    @Test func videoPESOverTheLengthFieldIsUnboundedAndAudioIsNot() throws {
        let source = try FLVSource.load()
        var muxer = try TSMuxer(tracks: [source.tracks[0]])
        let big = LengthPrefixed.join([[0x65] + [UInt8](repeating: 0xAB, count: 100_000)], lengthSize: 4)
        var out = ByteBuffer()
        try muxer.write(track: 0, sample: Sample(dts: 0, isSync: true, data: ByteBuffer(bytes: big)), into: &out)
        let bytes = Array(out.readableBytesView)
        // After PAT and PMT: the video PES starts in the third packet, with PES_packet_length 0.
        let first = try TSPacket(Array(bytes[376..<564]))
        #expect(first.payloadUnitStart && first.pcrBase != nil && first.randomAccess)
        #expect(Array(first.payload.prefix(6)) == [0, 0, 1, 0xE0, 0, 0])
        var demuxer = TSDemuxer()
        var buffer = out
        #expect(try demuxer.feed(&buffer).isEmpty)  // the PES ends only at the next start or at flush
        let outputs = demuxer.flush().map(OutputSummary.init)
        #expect(outputs.count == 2)
        #expect(outputs.first?.tracks?.map(\.info) == [source.tracks[0]])
        #expect(outputs.last?.data == big)
        #expect(outputs.last?.isSync == true)

        var withAudio = try TSMuxer(tracks: source.tracks)
        #expect(throws: ContainersError.limitExceeded(what: "TS muxer track 1 ADTS frame", value: 10_007, limit: 8191)) {
            try withAudio.write(track: 1, sample: Sample(dts: 0, isSync: true, data: ByteBuffer(repeating: 0, count: 10_000)), into: &out)
        }
    }

    @Test func muxerRefusesWhatItCannotCarry() throws {
        let source = try FLVSource.load()
        let opus = TrackInfo(codec: .opus, timescale: 48_000, decoderConfig: [], codecString: "opus")
        #expect(throws: ContainersError.self) { try TSMuxer(tracks: [source.tracks[0], opus]) }
        #expect(throws: ContainersError.self) { try TSMuxer(tracks: []) }
        var broken = source.tracks[0]
        broken.decoderConfig = [1, 0x64]
        #expect(throws: ContainersError.codec(what: "TS muxer track 0 decoderConfig", .truncated(what: "avcC", needed: 3, available: 2))) {
            try TSMuxer(tracks: [broken])
        }
        var muxer = try TSMuxer(tracks: source.tracks)
        var out = ByteBuffer()
        #expect(throws: ContainersError.self) { try muxer.write(track: 2, sample: source.samples[0].sample, into: &out) }
        // A sample whose NAL length runs past its end is refused and nothing is written.
        #expect(throws: ContainersError.self) {
            try muxer.write(track: 0, sample: Sample(dts: 0, isSync: true, data: ByteBuffer(bytes: [0, 0, 0, 9, 0x65])), into: &out)
        }
        #expect(out.readableBytes == 0)
    }

    @Test func audioOnlyRepeatsTablesEvery100msAndCarriesThePCR() throws {
        let source = try FLVSource.load()
        var muxer = try TSMuxer(tracks: [source.tracks[1]], timestampOffset: Self.offset)
        var out = ByteBuffer()
        // One second of AAC at 44.1 kHz: 44 frames of 23.2 ms.
        for i in 0..<44 {
            try muxer.write(track: 0, sample: Sample(dts: Int64(i) * 1_024, isSync: true, data: ByteBuffer(bytes: [0x21, UInt8(i)])), into: &out)
        }
        let bytes = Array(out.readableBytesView)
        var pats: [Int] = [], pcrs: [UInt64] = [], frame = 0
        for start in stride(from: 0, to: bytes.count, by: 188) {
            let packet = try TSPacket(Array(bytes[start..<start + 188]))
            if packet.pid == 0 { pats.append(frame) }
            if let pcr = packet.pcrBase { pcrs.append(pcr) }
            if packet.pid == 0x100, packet.payloadUnitStart { frame += 1 }
        }
        // Before frames 0, 4, 8, ...: 100 ms of audio is 4.3 frames, so every 4th keeps copies ≤ 100 ms apart.
        #expect(pats == Array(stride(from: 0, to: 44, by: 4)))
        for (a, b) in zip(pcrs, pcrs.dropFirst()) { #expect(b > a && b - a <= 3_600) }
        #expect(pcrs.count >= 25)
        let result = try demux(bytes, demuxer: TSDemuxer(timestampOffset: Self.offset))
        #expect(result.samples(0).map(\.dts) == (0..<44).map { Int64($0) * 1_024 })
    }
}
