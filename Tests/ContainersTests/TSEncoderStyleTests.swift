import Codecs
import MediaCore
import NIOCore
import Testing
@testable import Containers

/// What OBS, hardware encoders and broadcast muxers write that our muxer does not: no AUD,
/// unbounded video PES, several ADTS frames per PES, PSI across packets, null and PCR-only packets,
/// stream types to ignore, parameter set changes, HEVC.
@Suite struct TSEncoderStyleTests {
    /// The FLV vector's SPS, PPS and first frames as NAL units.
    static func h264() throws -> (sps: [UInt8], pps: [UInt8], frames: [Sample], track: TrackInfo) {
        let source = try FLVSource.load()
        let record = try AVCDecoderConfigurationRecord(parsing: source.tracks[0].decoderConfig)
        let frames = source.samples.filter { $0.track == 0 }.map(\.sample)
        return (record.sequenceParameterSets[0], record.pictureParameterSets[0], frames, source.tracks[0])
    }

    static func units(_ sample: Sample) throws -> [[UInt8]] {
        try LengthPrefixed.split(Array(sample.data.readableBytesView), lengthSize: 4).map(Array.init)
    }

    @Test func h264WithoutAUDInUnboundedPESWithNullAndPCROnlyPackets() throws {
        let (sps, pps, frames, track) = try Self.h264()
        var b = TSBuilder()
        b.nullPacket()
        b.pat()
        b.nullPacket()
        b.pmt([(0x1B, 0x100)])
        b.pcrOnly(pid: 0x100, pcr: 0)
        for (i, frame) in frames.prefix(5).enumerated() {
            let body = try Self.units(frame)
            let au = annexB(frame.isSync ? [sps, pps] + body : body)
            try b.pes(pid: 0x100, streamID: 0xE0, pts: UInt64(frame.pts + 90_000), dts: UInt64(frame.dts + 90_000), payload: au, packetLength: 0)
            b.nullPacket()
            b.pcrOnly(pid: 0x100, pcr: UInt64(i * 3_000))
        }
        let result = try demux(b.array)
        #expect(result.tracks.map { $0.map(\.info) } == [[track]])
        let samples = result.samples(0)
        #expect(samples.count == 5)
        for (got, frame) in zip(samples, frames) {
            #expect(got.data == Array(frame.data.readableBytesView))  // the x264 SEI stays, nothing else is added
            #expect(got.dts == frame.dts + 90_000)
            #expect(got.compositionOffset == frame.compositionOffset)
            #expect(got.isSync == frame.isSync)
        }
        #expect(result.statistics.nullPackets == 7)
        #expect(result.statistics.droppedPES == 0)
    }

    @Test func severalADTSFramesInOnePES() throws {
        var b = TSBuilder()
        b.pat()
        b.pmt([(0x0F, 0x101)])
        let frames: [[UInt8]] = [[0x21, 1], [0x21, 2, 2], [0x21, 3, 3, 3]]
        let payload = frames.flatMap { TSHostileInputTests.adtsFrame($0) }
        try b.pes(pid: 0x101, streamID: 0xC0, pts: 180_000, payload: payload)
        try b.pes(pid: 0x101, streamID: 0xC0, pts: 180_000 + 3 * 1_920, payload: TSHostileInputTests.adtsFrame([0x21, 4]))
        let result = try demux(b.array)
        let samples = result.samples(0)
        #expect(samples.map(\.data) == frames + [[0x21, 4]])
        #expect(samples.map(\.dts) == [96_000, 97_024, 98_048, 99_072])
        #expect(result.tracks.first?.first?.info.audio == AudioParameters(sampleRate: 48_000, channelCount: 2, samplesPerFrame: 1_024))
    }

    @Test func psiAcrossPacketsAndStreamTypesToIgnore() throws {
        let (sps, pps, frames, _) = try Self.h264()
        var b = TSBuilder()
        b.pat(pmtPID: 0x0200, program: 7)
        // 300 bytes of program descriptors push the PMT over one packet.
        let descriptors: [UInt8] = (0..<100).flatMap { _ in [0x05, 0x01, 0x41] as [UInt8] }
        b.pmt([(0x06, 0x102), (0x1B, 0x100), (0x15, 0x103), (0x0F, 0x101)], pmtPID: 0x0200, program: 7, programDescriptors: descriptors)
        try b.pes(pid: 0x102, streamID: 0xBD, pts: 0, payload: [1, 2, 3])
        try b.pes(pid: 0x100, streamID: 0xE0, pts: 0, payload: annexB([sps, pps] + Self.units(frames[0])))
        try b.pes(pid: 0x101, streamID: 0xC0, pts: 0, payload: TSHostileInputTests.adtsFrame([0x21]))
        try b.pes(pid: 0x103, streamID: 0xFC, pts: 0, payload: [9, 9])
        try b.pes(pid: 0x100, streamID: 0xE0, pts: 3_600, payload: annexB(Self.units(frames[1])))
        let result = try demux(b.array)
        #expect(b.array.count > 4 * 188)
        #expect(result.tracks.map { $0.map(\.pid) } == [[0x100, 0x101]])
        #expect(result.samples(0).count == 2)
        #expect(result.samples(1).count == 1)
    }

    @Test func parameterSetChangesAreAnnouncedOnce() throws {
        let (sps, pps, frames, track) = try Self.h264()
        // The 320x180 stream of the ffmpeg vector gives the second configuration.
        let other = try #require(try demux(try Vectors.bytes("h264_aac.ts")).tracks.first?.first?.info)
        let otherRecord = try AVCDecoderConfigurationRecord(parsing: other.decoderConfig)
        let idr = try Self.units(frames[0])
        var b = TSBuilder()
        b.pat()
        b.pmt([(0x1B, 0x100)])
        var pts: UInt64 = 0
        func au(_ units: [[UInt8]]) throws {
            try b.pes(pid: 0x100, streamID: 0xE0, pts: pts, payload: annexB(units))
            pts += 3_600
        }
        try au(Self.units(frames[1]))  // before any key frame: dropped
        try au([sps, pps] + idr)
        try au(Self.units(frames[1]))
        try au([sps, pps] + idr)  // same parameter sets again: no announcement
        try au([otherRecord.sequenceParameterSets[0], otherRecord.pictureParameterSets[0]] + idr)
        try au(Self.units(frames[1]))
        let result = try demux(b.array)
        #expect(result.tracks.map { $0.map(\.info) } == [[track], [other]])
        #expect(result.outputs.map { $0.tracks == nil ? "s" : "T" }.joined() == "TsssTss")
        #expect(result.statistics.droppedSamples == 1)
    }

    @Test func pmtChangeAddsAStreamAndHoldsSamplesUntilItIsConfigured() throws {
        let (sps, pps, frames, track) = try Self.h264()
        var b = TSBuilder()
        b.pat()
        b.pmt([(0x1B, 0x100)])
        try b.pes(pid: 0x100, streamID: 0xE0, pts: 0, payload: annexB([sps, pps] + Self.units(frames[0])))
        try b.pes(pid: 0x100, streamID: 0xE0, pts: 3_600, payload: annexB(Self.units(frames[1])))
        let table = ProgramMapTable(programNumber: 1, version: 1, pcrPID: 0x100,
                                    streams: [.init(streamType: 0x1B, pid: 0x100), .init(streamType: 0x0F, pid: 0x101)])
        b.section(table.section().serialized(), pid: 0x1000)
        try b.pes(pid: 0x100, streamID: 0xE0, pts: 7_200, payload: annexB(Self.units(frames[2])))
        try b.pes(pid: 0x100, streamID: 0xE0, pts: 10_800, payload: annexB(Self.units(frames[3])))
        try b.pes(pid: 0x101, streamID: 0xC0, pts: 7_200, payload: TSHostileInputTests.adtsFrame([0x21]))
        try b.pes(pid: 0x100, streamID: 0xE0, pts: 14_400, payload: annexB(Self.units(frames[4])))
        let result = try demux(b.array)
        #expect(result.tracks.map { $0.map(\.pid) } == [[0x100], [0x100, 0x101]])
        #expect(result.tracks.last?.first?.info == track)
        // Frames 0 and 1 (whole PES, stated length) before the change; 2 and 3 held until the audio
        // is configured, then the audio frame, then 4.
        #expect(result.outputs.map { $0.tracks == nil ? "\($0.track)" : "T" }.joined() == "T00T0010")
        #expect(result.statistics.droppedSamples == 0)
    }

    @Test func ffmpegHEVCRebuildsFFmpegsHVCC() throws {
        let result = try demux(try Vectors.bytes("hevc.ts"))
        let tracks = try #require(result.tracks.first)
        #expect(result.tracks.count == 1)
        #expect(tracks.count == 1)
        let info = tracks[0].info
        #expect(info.codec == .hevc)
        #expect(info.codecString == "hvc1.1.6.L60.90")
        #expect(info.video?.width == 320 && info.video?.height == 180)
        let ffmpegHVCC = "0101600000009000000000003cf000fcfdf8f800000f03a00001001840010c01ffff01600000030090000003000003003c959009a10001002b42010101600000030090000003000003003ca00a080c1f3e595912930bc05a020000030002000003003210a2000100064401c073c189"
        #expect(info.decoderConfig.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() == ffmpegHVCC)
        let samples = result.samples(0)
        #expect(samples.count == 20)
        #expect(samples.filter(\.isSync).count == 2)
        #expect(samples.first?.dts == 126_000)
        for sample in samples {
            let types = try LengthPrefixed.split(sample.data, lengthSize: 4).map { HEVCNALUnitType.type(header: $0.first!) }
            #expect(!types.contains { [32, 33, 34, 35].contains($0) })
        }
        // And through our muxer and back.
        var muxer = try TSMuxer(tracks: [info])
        var out = ByteBuffer()
        for s in samples {
            try muxer.write(track: 0, sample: Sample(dts: s.dts, compositionOffset: s.compositionOffset, isSync: s.isSync,
                                                     data: ByteBuffer(bytes: s.data)), into: &out)
        }
        let again = try demux(Array(out.readableBytesView))
        #expect(again.tracks.first?.first?.info == info)
        #expect(again.samples(0) == samples)
    }
}
