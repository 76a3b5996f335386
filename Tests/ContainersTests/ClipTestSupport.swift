import Codecs
import Foundation
import MediaCore
import NIOCore
import Testing
@testable import Containers

/// One rendition archived the way the packager writes it: an init segment, then 2 s media
/// segments made of 0.5 s parts (each part a `moof` + `mdat`), from `FMP4Writer`.
struct ArchivedRendition {
    var initSegment: ByteBuffer
    var segments: [ByteBuffer]
    /// Decode time, composition offset and sync flag of every frame written, in order.
    var frames: [(dts: Int64, cts: Int32, key: Bool, size: Int)]
}

/// `clip_h264_aac.flv` (see Vectors/README.md) as a video and an audio rendition.
enum ClipVector {
    static let segmentSeconds: Int64 = 2
    static let partsPerSegment: Int64 = 4

    static func renditions() throws -> (video: ArchivedRendition, audio: ArchivedRendition) {
        let tags = try readFLVFile(try Vectors.bytes("clip_h264_aac.flv"))
        var video: [(dts: Int64, cts: Int32, key: Bool, data: ByteBuffer)] = []
        var audio: [(dts: Int64, cts: Int32, key: Bool, data: ByteBuffer)] = []
        var videoInfo: TrackInfo?
        var asc: [UInt8] = []
        for tag in tags {
            if tag.type == 9 {
                switch try FLVVideoTag(parsing: tag.body) {
                case .sequenceStart(.avc, let config):
                    let record = try AVCDecoderConfigurationRecord(parsing: Array(config.readableBytesView))
                    let sps = try record.parsedSPS()
                    videoInfo = TrackInfo(codec: .h264, timescale: 90_000, decoderConfig: record.serialized(),
                                          codecString: sps.codecString, video: VideoParameters(width: sps.width, height: sps.height))
                case .codedFrame(.avc, let type, let cts, let data):
                    video.append((Int64(tag.timestamp) * 90, cts * 90, type == .key, data))
                default: break
                }
            } else if tag.type == 8 {
                switch try FLVAudioTag(parsing: tag.body) {
                case .sequenceStart(_, let config): asc = Array(config.readableBytesView)
                case .codedFrame(_, let data): audio.append((Int64(audio.count) * 1024, 0, true, data))
                default: break
                }
            }
        }
        let aac = TrackInfo(codec: .aac, timescale: 48_000, decoderConfig: asc, codecString: "mp4a.40.2",
                            audio: AudioParameters(sampleRate: 48_000, channelCount: 2, samplesPerFrame: 1024))
        return (package(video, info: try #require(videoInfo), lastDuration: 3000), package(audio, info: aac, lastDuration: 1024))
    }

    static func package(_ frames: [(dts: Int64, cts: Int32, key: Bool, data: ByteBuffer)], info: TrackInfo,
                        lastDuration: Int64) -> ArchivedRendition {
        let segmentTicks = segmentSeconds * Int64(info.timescale)
        let partTicks = segmentTicks / partsPerSegment
        var segments: [ByteBuffer] = []
        var sequence: UInt32 = 0
        var i = 0
        while i < frames.count {
            let segmentIndex = frames[i].dts / segmentTicks
            var segment = ByteBuffer()
            while i < frames.count, frames[i].dts / segmentTicks == segmentIndex {
                let part = (frames[i].dts - segmentIndex * segmentTicks) / partTicks
                var j = i
                while j < frames.count, frames[j].dts / segmentTicks == segmentIndex,
                      (frames[j].dts - segmentIndex * segmentTicks) / partTicks == part { j += 1 }
                let samples = (i..<j).map { k in
                    FragmentSample(duration: UInt32(k + 1 < frames.count ? frames[k + 1].dts - frames[k].dts : lastDuration),
                                   compositionOffset: frames[k].cts, isSync: frames[k].key, data: frames[k].data)
                }
                sequence += 1
                var fragment = FMP4Writer.fragment(sequenceNumber: sequence, baseMediaDecodeTime: UInt64(frames[i].dts), samples: samples)
                segment.writeBuffer(&fragment)
                i = j
            }
            segments.append(segment)
        }
        return ArchivedRendition(initSegment: FMP4Writer.initSegment(for: info), segments: segments,
                                 frames: frames.map { ($0.dts, $0.cts, $0.key, $0.data.readableBytes) })
    }
}

/// A scratch directory removed when the test ends.
struct TemporaryDirectory: ~Copyable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("clip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ buffer: ByteBuffer, _ name: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(buffer.readableBytesView).write(to: file)
        return file.path
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// One packet as `ffprobe -show_entries packet=pts,dts,duration,size,pos,flags -of csv=p=0` prints it.
struct ProbedPacket: Equatable {
    var pts: Int64
    var dts: Int64
    var duration: Int64
    var size: Int
    var pos: Int
    var key: Bool
}

func probePackets(_ path: String, stream: String) throws -> [ProbedPacket] {
    let (status, csv, errors) = try run(ffprobePath, ["-v", "error", "-select_streams", stream, "-show_entries",
                                                      "packet=pts,dts,duration,size,pos,flags", "-of", "csv=p=0", path])
    #expect(status == 0, "\(errors)")
    return try csv.split(separator: "\n").map { line in
        let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        try #require(f.count >= 6, "\(line)")
        return ProbedPacket(pts: Int64(f[0]) ?? .min, dts: Int64(f[1]) ?? .min, duration: Int64(f[2]) ?? .min,
                            size: Int(f[3]) ?? -1, pos: Int(f[4]) ?? -1, key: f[5].hasPrefix("K"))
    }
}

/// Top-level box types and sizes of a file, in order.
func topLevelBoxes(_ buffer: ByteBuffer) -> [(type: String, size: Int)] {
    var boxes: [(String, Int)] = []
    var at = buffer.readerIndex
    while let size32: UInt32 = buffer.getInteger(at: at), let type = buffer.getString(at: at + 4, length: 4) {
        var size = Int(size32)
        if size32 == 1, let large: UInt64 = buffer.getInteger(at: at + 8) { size = Int(large) }
        guard size >= 8 else { break }
        boxes.append((type, size))
        at += size
    }
    return boxes
}
