import Codecs
import MediaCore
import NIOCore
import Testing
@testable import Containers

/// The real H.264 + AAC stream of `Vectors/h264_aac.flv` as tracks and interleaved samples:
/// video at 90 kHz with B-frames, audio at 44.1 kHz with exact frame-count timestamps.
struct FLVSource {
    var tracks: [TrackInfo]
    var samples: [(track: Int, sample: Sample)]

    static func load() throws -> FLVSource {
        var video: TrackInfo?, audio: TrackInfo?
        var samples: [(Int, Sample)] = []
        var audioFrames: Int64 = 0
        var audioStart: Int64?
        for tag in try readFLVFile(try Vectors.bytes("h264_aac.flv")) {
            if tag.type == 9 {
                switch try FLVVideoTag(parsing: tag.body) {
                case .sequenceStart(.avc, let config):
                    let bytes = Array(config.readableBytesView)
                    video = try TrackInfo.h264(AVCDecoderConfigurationRecord(parsing: bytes), decoderConfig: bytes)
                case .codedFrame(.avc, let frameType, let cts, let data):
                    samples.append((0, Sample(dts: Int64(tag.timestamp) * 90, compositionOffset: cts * 90,
                                              isSync: frameType == .key, data: data)))
                default: break
                }
            } else if tag.type == 8 {
                switch try FLVAudioTag(parsing: tag.body) {
                case .sequenceStart(.aac, let config):
                    let bytes = Array(config.readableBytesView)
                    audio = TrackInfo.aac(try AudioSpecificConfig(parsing: bytes), decoderConfig: bytes)
                case .codedFrame(.aac, let data):
                    let start = audioStart ?? MediaTime.rescale(Int64(tag.timestamp), from: 1000, to: 44_100)
                    audioStart = start
                    samples.append((1, Sample(dts: start + audioFrames * 1024, isSync: true, data: data)))
                    audioFrames += 1
                default: break
                }
            }
        }
        return FLVSource(tracks: [try #require(video), try #require(audio)], samples: samples)
    }

    /// Muxes every sample into one buffer.
    func mux(timestampOffset: Int64 = 0, shift: Int64 = 0) throws -> ByteBuffer {
        var muxer = try TSMuxer(tracks: tracks, timestampOffset: timestampOffset)
        var out = ByteBuffer()
        for (track, sample) in samples {
            var s = sample
            s.dts += MediaTime.rescale(shift, from: 90_000, to: tracks[track].timescale)
            try muxer.write(track: track, sample: s, into: &out)
        }
        return out
    }
}

/// A demuxer output in a form tests can compare.
struct OutputSummary: Equatable, CustomStringConvertible {
    var tracks: [TSTrack]?
    var track = 0
    var dts: Int64 = 0
    var compositionOffset: Int32 = 0
    var isSync = false
    var data: [UInt8] = []
    /// An SCTE-35 cue, its PID and its time.
    var splice: SpliceInfoSection?
    var splicePID: UInt16 = 0
    var spliceTime: Int64?

    init(_ output: TSDemuxer.Output) {
        switch output {
        case .tracks(let t): tracks = t
        case .spliceInfo(let section, let pid, let time):
            splice = section
            splicePID = pid
            spliceTime = time
        case .sample(let track, let s):
            self.track = track
            dts = s.dts
            compositionOffset = s.compositionOffset
            isSync = s.isSync
            data = Array(s.data.readableBytesView)
        }
    }

    var description: String {
        if let splice { return "splice \(splice.command) at \(spliceTime.map(String.init) ?? "once")" }
        return tracks.map { "tracks \($0.map(\.info.codecString))" } ?? "sample \(track) dts \(dts) +\(compositionOffset) sync \(isSync) \(data.count) B"
    }
}

/// Everything a demuxer produced from one input, fed in chunks of the sizes `chunks` returns.
struct DemuxResult {
    var outputs: [OutputSummary] = []
    var statistics = TSDemuxerStatistics()

    var tracks: [[TSTrack]] { outputs.compactMap(\.tracks) }
    func samples(_ track: Int) -> [OutputSummary] { outputs.filter { $0.tracks == nil && $0.splice == nil && $0.track == track } }
    var splices: [OutputSummary] { outputs.filter { $0.splice != nil } }
}

func demux(_ bytes: [UInt8], demuxer initial: TSDemuxer = TSDemuxer(), chunk: (Int) -> Int = { $0 }) throws -> DemuxResult {
    var demuxer = initial
    var result = DemuxResult()
    var buffer = ByteBuffer()
    var offset = 0
    while offset < bytes.count {
        let n = max(1, min(chunk(bytes.count - offset), bytes.count - offset))
        buffer.writeBytes(bytes[offset..<offset + n])
        offset += n
        result.outputs += try demuxer.feed(&buffer).map(OutputSummary.init)
        buffer.discardReadBytes()
    }
    result.outputs += demuxer.flush().map(OutputSummary.init)
    result.statistics = demuxer.statistics
    return result
}


/// Hand-built transport streams for the cases a muxer of ours never writes.
struct TSBuilder {
    var bytes = ByteBuffer()
    var counters: [UInt16: UInt8] = [:]

    mutating func nextCounter(_ pid: UInt16) -> UInt8 {
        let c = counters[pid, default: 0]
        counters[pid] = (c + 1) & 0x0F
        return c
    }

    mutating func section(_ section: [UInt8], pid: UInt16) {
        var cc = counters[pid, default: 0]
        TSPacketWriter.writeSection(section, pid: pid, continuityCounter: &cc, into: &bytes)
        counters[pid] = cc
    }

    mutating func pat(pmtPID: UInt16 = 0x1000, program: UInt16 = 1) {
        section(ProgramAssociationTable(programs: [.init(number: program, pmtPID: pmtPID)]).section().serialized(), pid: 0)
    }

    /// A PMT; `descriptors` gives the ES_info descriptors of some PIDs.
    mutating func pmt(_ streams: [(UInt8, UInt16)], pmtPID: UInt16 = 0x1000, program: UInt16 = 1, programDescriptors: [UInt8] = [],
                      descriptors: [UInt16: [UInt8]] = [:]) {
        let table = ProgramMapTable(programNumber: program, pcrPID: streams.first?.1 ?? 0x1FFF, programDescriptors: programDescriptors,
                                    streams: streams.map { ProgramMapTable.Stream(streamType: $0.0, pid: $0.1, descriptors: descriptors[$0.1] ?? []) })
        section(table.section().serialized(), pid: pmtPID)
    }

    /// One PES across as many packets as it needs; `packetLength` overrides PES_packet_length.
    mutating func pes(pid: UInt16, streamID: UInt8, pts: UInt64, dts: UInt64? = nil, payload: [UInt8], packetLength: Int? = nil) throws {
        var header = try PESHeader.serialize(streamID: streamID, pts: pts, dts: dts, payloadLength: payload.count, unboundedAllowed: true)
        if let packetLength {
            header[4] = UInt8(packetLength >> 8)
            header[5] = UInt8(packetLength & 0xFF)
        }
        var buffer = ByteBuffer(bytes: header + payload)
        var first = true
        while buffer.readableBytes > 0 {
            TSPacketWriter.writePacket(pid: pid, payloadUnitStart: first, continuityCounter: nextCounter(pid), payload: &buffer, into: &bytes)
            first = false
        }
    }

    /// A raw packet: header with the given flags and a payload padded with 0xFF.
    mutating func raw(pid: UInt16, unitStart: Bool = false, counter: UInt8? = nil, payload: [UInt8] = []) {
        bytes.writeBytes([0x47, (unitStart ? 0x40 : 0) | UInt8(pid >> 8), UInt8(pid & 0xFF), 0x10 | (counter ?? nextCounter(pid))])
        bytes.writeBytes(payload.prefix(184))
        bytes.writeRepeatingByte(0xFF, count: 184 - min(184, payload.count))
    }

    mutating func nullPacket() {
        bytes.writeBytes([0x47, 0x1F, 0xFF, 0x10])
        bytes.writeRepeatingByte(0xFF, count: 184)
    }

    mutating func pcrOnly(pid: UInt16, pcr: UInt64) {
        var empty = ByteBuffer()
        TSPacketWriter.writePacket(pid: pid, payloadUnitStart: false, continuityCounter: (counters[pid, default: 0] &- 1) & 0x0F,
                                   pcrBase: pcr, payload: &empty, into: &bytes)
    }

    var array: [UInt8] { Array(bytes.readableBytesView) }
}

/// Annex B of NAL units with 4-byte start codes.
func annexB(_ units: [[UInt8]]) -> [UInt8] { units.flatMap { [0, 0, 0, 1] + $0 } }
