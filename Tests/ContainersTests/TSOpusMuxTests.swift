import Codecs
import Foundation
import MediaCore
import NIOCore
import Testing
@testable import Containers

/// The TS muxer writes Opus as FFmpeg does (ETSI TS Opus draft v0.1.3): a private PES stream with
/// the Opus registration and audio descriptors, an `opus_control_header` before every packet and
/// the pre-skip as the first one's `start_trim`. What it writes is read back by our demuxer and by
/// ffmpeg, which is what the transcoder and the restream pushes feed.
@Suite struct TSOpusMuxTests {
    /// The Opus track and packets ffmpeg writes for `channels`, muxed again by ``TSMuxer``.
    struct Remuxed {
        var source: TSOpusTests.FFmpegOpus
        var info: TrackInfo
        var samples: [OutputSummary]
        var ts: [UInt8]

        init(channels: Int) throws {
            source = try TSOpusTests.FFmpegOpus(channels: channels)
            let read = try demux(source.ts)
            info = try #require(read.tracks.first?.first?.info)
            samples = read.samples(0)
            var muxer = try TSMuxer(tracks: [info])
            var out = ByteBuffer()
            for sample in samples {
                try muxer.write(track: 0, sample: Sample(dts: sample.dts, isSync: true, data: ByteBuffer(bytes: sample.data)), into: &out)
            }
            ts = Array(out.readableBytesView)
        }
    }

    @Test(.enabled(if: ffmpegAvailable)) func muxedOpusReadsBackAsItWasWritten() throws {
        let remuxed = try Remuxed(channels: 2)
        let read = try demux(remuxed.ts)
        let info = try #require(read.tracks.first?.first?.info)
        #expect(info == remuxed.info)
        // The pre-skip went out as the first packet's start_trim and came back.
        #expect(try OpusHead(dOps: info.decoderConfig).preSkip == 312)
        #expect(read.samples(0) == remuxed.samples)
        #expect(read.statistics.droppedPES == 0)
        #expect(read.statistics.droppedSamples == 0)
    }

    @Test(.enabled(if: ffmpegAvailable), arguments: [2, 6])
    func ffmpegReadsAndDecodesWhatTheMuxerWrites(channels: Int) throws {
        let remuxed = try Remuxed(channels: channels)
        let dir = try TemporaryDirectory()
        let ts = dir.url.appendingPathComponent("muxed.ts").path
        let bin = dir.url.appendingPathComponent("muxed.bin").path
        try Data(remuxed.ts).write(to: URL(fileURLWithPath: ts))
        let (status, json, errors) = try run(ffprobePath, ["-v", "error", "-show_streams", "-of", "json", ts])
        #expect(status == 0, "\(errors)")
        #expect(json.contains("\"codec_name\": \"opus\""))
        #expect(json.contains("\"channels\": \(channels)"))
        // ffmpeg takes the same packets out, byte for byte, and decodes them without a complaint.
        let (copyStatus, _, copyErrors) = try run(ffmpegPath, ["-v", "error", "-y", "-i", ts, "-map", "0:a", "-c", "copy", "-f", "data", bin])
        #expect(copyStatus == 0, "\(copyErrors)")
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: bin))) == remuxed.source.data)
        let (decodeStatus, _, decodeErrors) = try run(ffmpegPath, ["-v", "error", "-i", ts, "-f", "null", "-"])
        #expect(decodeStatus == 0)
        #expect(decodeErrors.isEmpty, "\(decodeErrors)")
        // ffmpeg's own packet times are those of the source.
        let packets = try probePackets(ts, stream: "a")
        #expect(packets.map(\.pts) == remuxed.source.packets.map(\.pts))
    }

    @Test func theControlHeaderStatesSizesAndTheTrimAsTheDemuxerReadsThem() throws {
        for size in [0, 1, 254, 255, 256, 509, 510, 1_275] {
            for trim in [nil, 312, 0x1FFF] as [UInt16?] {
                let bytes = OpusControlHeader.serialized(auSize: size, startTrim: trim) + [UInt8](repeating: 0xF8, count: size)
                let header = try OpusControlHeader(parsing: bytes[...], what: "header")
                #expect(header.auSize == size)
                #expect(header.startTrim == trim)
                #expect(header.endTrim == nil)
                #expect(header.headerLength + size == bytes.count)
            }
        }
    }

    @Test func layoutsMPEGTSCannotStateAreRefused() throws {
        // Stereo as family 1, and an explicit family-255 mapping: no channel_config_code says them.
        let refused = [
            OpusHead(outputChannelCount: 2, preSkip: 312, channelMappingFamily: 1,
                     channelMapping: .init(streamCount: 1, coupledCount: 1, mapping: [0, 1])),
            OpusHead(outputChannelCount: 3, preSkip: 312, channelMappingFamily: 255,
                     channelMapping: .init(streamCount: 3, coupledCount: 0, mapping: [0, 1, 2])),
            OpusHead(outputChannelCount: 6, preSkip: 312, channelMappingFamily: 1,
                     channelMapping: .init(streamCount: 6, coupledCount: 0, mapping: [0, 1, 2, 3, 4, 5])),
        ]
        for head in refused {
            #expect(throws: ContainersError.self) { try TSMuxer(tracks: [TrackInfo.opus(head)]) }
        }
        for code: UInt8 in 1...8 {
            let head = try OpusHead(mpegTSChannelConfigCode: code, preSkip: 0, what: "code")
            #expect(head.mpegTSChannelConfigCode == code)
            _ = try TSMuxer(tracks: [TrackInfo.opus(head)])
        }
    }
}
