import Codecs
import Foundation
import MediaCore
import NIOCore
import Testing
@testable import Containers

@Suite struct FMP4WriterTests {
    static func be32(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> UInt32($0)) } }
    static func be64(_ v: UInt64) -> [UInt8] { be32(UInt32(v >> 32)) + be32(UInt32(truncatingIfNeeded: v)) }
    static func box(_ type: String, _ body: [UInt8]) -> [UInt8] { be32(UInt32(8 + body.count)) + Array(type.utf8) + body }

    @Test func fragmentBytesAreExact() {
        let data: [UInt8] = [0xDE, 0xAD, 0xBE, 0xEF]
        let fragment = FMP4Writer.fragment(
            sequenceNumber: 7, trackID: 1, baseMediaDecodeTime: 0x1_0000_0001,
            samples: [FragmentSample(duration: 3000, compositionOffset: -3000, isSync: false, data: ByteBuffer(bytes: data))])
        let trun = Self.box("trun", [1, 0, 0x0F, 0x01] + Self.be32(1) + Self.be32(112)
                            + Self.be32(3000) + Self.be32(4) + Self.be32(0x0101_0000) + Self.be32(UInt32(bitPattern: -3000)))
        let traf = Self.box("traf", Self.box("tfhd", [0, 2, 0, 0] + Self.be32(1))
                            + Self.box("tfdt", [1, 0, 0, 0] + Self.be64(0x1_0000_0001)) + trun)
        let expected = Self.box("moof", Self.box("mfhd", [0, 0, 0, 0] + Self.be32(7)) + traf) + Self.box("mdat", data)
        #expect(Array(fragment.readableBytesView) == expected)
        // data_offset points at the first mdat byte.
        #expect(Array(fragment.readableBytesView)[112..<116] == data[...])
    }

    @Test func syncSampleFlags() {
        let fragment = FMP4Writer.fragment(sequenceNumber: 1, baseMediaDecodeTime: 0, samples: [
            FragmentSample(duration: 1024, compositionOffset: 0, isSync: true, data: ByteBuffer(bytes: [1])),
        ])
        let bytes = Array(fragment.readableBytesView)
        // trun entry: duration, size, flags, offset starting at byte 88 (moof 8 + mfhd 16 + traf 8 + tfhd 16 + tfdt 20 + trun header 20).
        #expect(Array(bytes[96..<100]) == Self.be32(0x0200_0000))
    }

    static func avcTrack() throws -> TrackInfo {
        let tags = try readFLVFile(try Vectors.bytes("h264_aac.flv"))
        for tag in tags where tag.type == 9 {
            if case .sequenceStart(.avc, let config) = try FLVVideoTag(parsing: tag.body) {
                let record = try AVCDecoderConfigurationRecord(parsing: Array(config.readableBytesView))
                let sps = try record.parsedSPS()
                return TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: record.serialized(), codecString: sps.codecString,
                                 video: VideoParameters(width: sps.width, height: sps.height, frameRate: sps.frameRate))
            }
        }
        throw ContainersError.invalid(what: "test vector", reason: "no AVC sequence header")
    }

    @Test func initSegmentLayout() throws {
        let segment = FMP4Writer.initSegment(for: try Self.avcTrack(), trackID: 1)
        let paths = boxPaths(segment)
        #expect(paths == [
            "/ftyp", "/moov", "/moov/mvhd", "/moov/trak", "/moov/trak/tkhd", "/moov/trak/mdia", "/moov/trak/mdia/mdhd",
            "/moov/trak/mdia/hdlr", "/moov/trak/mdia/minf", "/moov/trak/mdia/minf/vmhd", "/moov/trak/mdia/minf/dinf",
            "/moov/trak/mdia/minf/dinf/dref", "/moov/trak/mdia/minf/stbl", "/moov/trak/mdia/minf/stbl/stsd",
            "/moov/trak/mdia/minf/stbl/stsd/avc1", "/moov/trak/mdia/minf/stbl/stsd/avc1/avcC",
            "/moov/trak/mdia/minf/stbl/stts", "/moov/trak/mdia/minf/stbl/stsc", "/moov/trak/mdia/minf/stbl/stsz",
            "/moov/trak/mdia/minf/stbl/stco", "/moov/mvex", "/moov/mvex/trex",
        ])
        let bytes = Array(segment.readableBytesView)
        #expect(Array(bytes[0..<28]) == Self.box("ftyp", Array("iso6".utf8) + [0, 0, 0, 0] + Array("iso6cmfcmp41".utf8)))
    }

    @Test func audioInitSegmentsCarryTheirConfig() throws {
        let aac = TrackInfo(codec: .aac, timescale: 44_100, decoderConfig: [0x12, 0x10], codecString: "mp4a.40.2",
                            audio: AudioParameters(sampleRate: 44_100, channelCount: 2, samplesPerFrame: 1024))
        let paths = boxPaths(FMP4Writer.initSegment(for: aac))
        #expect(paths.contains("/moov/trak/mdia/minf/stbl/stsd/mp4a/esds"))
        #expect(paths.contains("/moov/trak/mdia/minf/smhd"))
        let opus = TrackInfo(codec: .opus, timescale: 48_000, decoderConfig: [0, 2, 1, 0x38, 0, 0, 0xBB, 0x80, 0, 0, 0],
                             codecString: "opus", audio: AudioParameters(sampleRate: 48_000, channelCount: 2, samplesPerFrame: 960))
        #expect(boxPaths(FMP4Writer.initSegment(for: opus)).contains("/moov/trak/mdia/minf/stbl/stsd/Opus/dOps"))
        // ES descriptor sizes use the shortest form.
        #expect(FMP4Writer.descriptor(tag: 5, [0x12, 0x10]) == [5, 2, 0x12, 0x10])
        #expect(FMP4Writer.descriptor(tag: 4, [UInt8](repeating: 0, count: 200)).prefix(3) == [4, 0x81, 0x48])
    }

    /// Writes H.264 (with B-frames) and AAC from an ffmpeg-made FLV into fMP4 and has ffprobe and
    /// ffmpeg read it back: codec, size, frame count, decode errors, and presentation times.
    @Test(.enabled(if: ffmpegAvailable)) func ffprobeReadsWhatWeWrite() throws {
        let tags = try readFLVFile(try Vectors.bytes("h264_aac.flv"))
        var video: [(dts: Int64, cts: Int32, key: Bool, data: ByteBuffer)] = []
        var audio: [ByteBuffer] = []
        var asc: [UInt8] = []
        for tag in tags {
            if tag.type == 9, case .codedFrame(.avc, let type, let cts, let data) = try FLVVideoTag(parsing: tag.body) {
                video.append((Int64(tag.timestamp) * 90, cts * 90, type == .key, data))
            } else if tag.type == 8 {
                switch try FLVAudioTag(parsing: tag.body) {
                case .sequenceStart(_, let config): asc = Array(config.readableBytesView)
                case .codedFrame(_, let data): audio.append(data)
                default: break
                }
            }
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fmp4-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        // Video: fragments of 8 samples, durations from the next dts.
        var file = FMP4Writer.initSegment(for: try Self.avcTrack())
        var sequence: UInt32 = 1
        for start in stride(from: 0, to: video.count, by: 8) {
            let chunk = start..<min(start + 8, video.count)
            let samples = chunk.map { i in
                let next = i + 1 < video.count ? video[i + 1].dts : video[i].dts + 3000
                return FragmentSample(duration: UInt32(next - video[i].dts), compositionOffset: video[i].cts,
                                      isSync: video[i].key, data: video[i].data)
            }
            var fragment = FMP4Writer.fragment(sequenceNumber: sequence, baseMediaDecodeTime: UInt64(video[start].dts), samples: samples)
            file.writeBuffer(&fragment)
            sequence += 1
        }
        let videoURL = dir.appendingPathComponent("video.mp4")
        try Data(file.readableBytesView).write(to: videoURL)

        let (status, json, errors) = try run(ffprobePath, ["-v", "error", "-count_frames", "-show_streams", "-of", "json", videoURL.path])
        #expect(status == 0)
        #expect(errors.isEmpty, "\(errors)")
        #expect(json.contains("\"codec_name\": \"h264\""))
        #expect(json.contains("\"width\": 640"))
        #expect(json.contains("\"height\": 360"))
        #expect(json.contains("\"nb_read_frames\": \"60\""))
        let (decodeStatus, _, decodeErrors) = try run(ffmpegPath, ["-v", "error", "-i", videoURL.path, "-f", "null", "-"])
        #expect(decodeStatus == 0)
        #expect(decodeErrors.isEmpty, "\(decodeErrors)")

        // Presentation times survive exactly, and B-frames make them differ from decode order.
        let (_, csv, _) = try run(ffprobePath, ["-v", "error", "-show_entries", "packet=pts,dts", "-of", "csv=p=0", videoURL.path])
        let packets = csv.split(separator: "\n").map { $0.split(separator: ",").map { Int64($0)! } }
        #expect(packets.map { $0[0] } == video.map { $0.dts + Int64($0.cts) })
        #expect(packets.map { $0[1] } == video.map(\.dts))
        let pts = packets.map { $0[0] }
        #expect(pts != pts.sorted())

        // Audio: 1024-sample frames at 44.1 kHz in fragments of 20.
        let aacTrack = TrackInfo(codec: .aac, timescale: 44_100, decoderConfig: asc, codecString: "mp4a.40.2",
                                 audio: AudioParameters(sampleRate: 44_100, channelCount: 2, samplesPerFrame: 1024))
        var audioFile = FMP4Writer.initSegment(for: aacTrack)
        for (n, start) in stride(from: 0, to: audio.count, by: 20).enumerated() {
            let samples = audio[start..<min(start + 20, audio.count)].map {
                FragmentSample(duration: 1024, compositionOffset: 0, isSync: true, data: $0)
            }
            var fragment = FMP4Writer.fragment(sequenceNumber: UInt32(n + 1), baseMediaDecodeTime: UInt64(start * 1024), samples: samples)
            audioFile.writeBuffer(&fragment)
        }
        let audioURL = dir.appendingPathComponent("audio.mp4")
        try Data(audioFile.readableBytesView).write(to: audioURL)
        let (aStatus, aJSON, aErrors) = try run(ffprobePath, ["-v", "error", "-count_frames", "-show_streams", "-of", "json", audioURL.path])
        #expect(aStatus == 0)
        #expect(aErrors.isEmpty, "\(aErrors)")
        #expect(aJSON.contains("\"codec_name\": \"aac\""))
        #expect(aJSON.contains("\"sample_rate\": \"44100\""))
        #expect(aJSON.contains("\"channels\": 2"))
        #expect(aJSON.contains("\"nb_read_frames\": \"88\""))
        let (aDecode, _, aDecodeErrors) = try run(ffmpegPath, ["-v", "error", "-i", audioURL.path, "-f", "null", "-"])
        #expect(aDecode == 0)
        #expect(aDecodeErrors.isEmpty, "\(aDecodeErrors)")
    }
}
