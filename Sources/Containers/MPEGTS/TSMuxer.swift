import Codecs
import MediaCore
import NIOCore

/// Writes one MPEG-TS program (ISO/IEC 13818-1) from ISO BMFF samples, for piping a channel into
/// FFmpeg or any TS consumer.
///
/// - Program number 1, PMT on PID 0x1000, elementary streams on PIDs 0x100, 0x101, ... in track order.
/// - Video (H.264, HEVC) becomes an Annex B byte stream: an access unit delimiter first, the
///   parameter sets of the decoder configuration before every sync sample, then the sample's NAL
///   units. AAC frames get an ADTS header built from the AudioSpecificConfig. Opus packets get an
///   `opus_control_header`, the first with the pre-skip as its `start_trim`, in private PES
///   packets whose PMT entry has the Opus registration and audio descriptors (ETSI TS Opus draft
///   v0.1.3, as FFmpeg writes and reads it).
/// - PAT and PMT go before the first packet and before every video sync sample, or at most 100 ms
///   apart when there is no video.
/// - With `cues`, an SCTE-35 stream (type 0x86, ANSI/SCTE 35 2022 §8.1) follows the tracks' PIDs,
///   and the program loop carries the `CUEI` registration descriptor; ``write(splice:into:)``
///   writes a cue on it.
/// - The PCR rides on the first video PID (else the first track) at least every 40 ms
///   (§2.7.2 asks for 100 ms at most), `pcrDelay` behind the DTS.
public struct TSMuxer: Sendable {
    public static let firstElementaryPID: UInt16 = 0x100
    public static let pmtPID: UInt16 = 0x1000
    public static let programNumber: UInt16 = 1
    /// Longest PCR interval written: 40 ms at 90 kHz.
    static let pcrInterval: Int64 = 3_600
    /// How far the PCR runs behind the DTS of the sample written with it, so in the decoder model
    /// data arrives before it is decoded: 0.7 s, the `max_delay` ffmpeg's muxer uses by default.
    static let pcrDelay: Int64 = 63_000
    /// Gaps up to 1 s between samples are bridged with PCR-only packets; a longer jump is a
    /// discontinuity of the input and the PCR simply restarts from the new time.
    static let maxPCRFill: Int64 = 90_000
    /// PAT/PMT repetition without video: 100 ms at 90 kHz.
    static let tableInterval: Int64 = 9_000

    enum Payload {
        /// NAL length size of the samples, parameter sets (Annex B, in order) for sync samples.
        case video(nalLengthSize: Int, parameterSets: [[UInt8]], hevc: Bool)
        /// The ADTS header every frame gets, with its length filled in per frame.
        case aac(ADTSHeader)
        /// An `opus_control_header` before every packet; the pre-skip still to be stated as the
        /// `start_trim` of the next packet written (the stream's first).
        case opus(channelConfigCode: UInt8, preSkip: UInt16?)

        /// What the PMT says of the stream.
        var streamType: TSStreamType {
            switch self {
            case .video(_, _, let hevc): hevc ? .hevc : .h264
            case .aac: .aacADTS
            case .opus(let code, _): .opus(channelConfigCode: code)
            }
        }
    }

    struct Stream {
        var info: TrackInfo
        var pid: UInt16
        var payload: Payload
        var continuityCounter: UInt8 = 0
    }

    var streams: [Stream]
    let timestampOffset: Int64
    /// Index of the stream carrying the PCR.
    let pcrStream: Int
    let hasVideo: Bool
    /// The longest audio frame duration of the tracks, in 90 kHz ticks.
    let audioFrameDuration: Int64
    let patSection: [UInt8]
    let pmtSection: [UInt8]
    var patContinuityCounter: UInt8 = 0
    var pmtContinuityCounter: UInt8 = 0
    /// The SCTE-35 stream's PID, when there is one.
    let splicePID: UInt16?
    var spliceContinuityCounter: UInt8 = 0
    /// Last PCR written (90 kHz, before `timestampOffset`).
    var lastPCR: Int64?
    /// DTS (90 kHz) of the sample the tables were last written before.
    var lastTables: Int64?

    /// tracks: H.264, HEVC, AAC or Opus of 1 to 8 channels in a standard layout (others throw
    /// ContainersError). PIDs 0x100, 0x101, ... in track
    /// order; PMT PID 0x1000; program number 1.
    /// timestampOffset: 90 kHz ticks added to every PTS/DTS before writing (mod 2^33).
    /// cues: whether the program has an SCTE-35 stream, after the tracks.
    public init(tracks: [TrackInfo], timestampOffset: Int64 = 0, cues: Bool = false) throws(ContainersError) {
        guard !tracks.isEmpty else { throw .invalid(what: "TS muxer", reason: "no tracks") }
        let limit = TSLimits().maxElementaryStreams
        let count = tracks.count + (cues ? 1 : 0)
        guard count <= limit else { throw .limitExceeded(what: "TS muxer tracks", value: count, limit: limit) }
        var streams: [Stream] = []
        var pmtStreams: [ProgramMapTable.Stream] = []
        for (i, track) in tracks.enumerated() {
            let pid = Self.firstElementaryPID + UInt16(i)
            let payload = try Self.payload(for: track, index: i)
            streams.append(Stream(info: track, pid: pid, payload: payload))
            pmtStreams.append(ProgramMapTable.Stream(streamType: payload.streamType.pmtValue, pid: pid,
                                                     descriptors: payload.streamType.pmtDescriptors
                                                         + TSDescriptor.languageDescriptor(track.language)))
        }
        splicePID = cues ? Self.firstElementaryPID + UInt16(tracks.count) : nil
        if let splicePID { pmtStreams.append(ProgramMapTable.Stream(streamType: TSSpliceStream.streamType, pid: splicePID)) }
        self.streams = streams
        self.timestampOffset = timestampOffset
        pcrStream = tracks.firstIndex { $0.mediaType == .video } ?? 0
        hasVideo = tracks.contains { $0.mediaType == .video }
        audioFrameDuration = tracks.compactMap { track in
            track.audio.map { TSTime.rescaleNearest(Int64($0.samplesPerFrame), from: track.timescale, to: TS.clockRate) }
        }.max() ?? 0
        let pat = ProgramAssociationTable(programs: [.init(number: Self.programNumber, pmtPID: Self.pmtPID)])
        let pmt = ProgramMapTable(programNumber: Self.programNumber, pcrPID: streams[pcrStream].pid,
                                  programDescriptors: cues ? TSSpliceStream.registrationDescriptor : [], streams: pmtStreams)
        patSection = pat.section().serialized()
        pmtSection = pmt.section().serialized()
    }

    /// Appends the TS packets for one sample of track `track` to `out`.
    ///
    /// Video samples are ISO BMFF (length-prefixed NAL units, lengthSize from the track's
    /// decoderConfig). Sample times are in the track's timescale and are rescaled to 90 kHz (to the
    /// nearest tick). Nothing is written when the sample is refused.
    public mutating func write(track: Int, sample: Sample, into out: inout ByteBuffer) throws(ContainersError) {
        guard streams.indices.contains(track) else {
            throw .invalid(what: "TS muxer", reason: "track \(track) of \(streams.count)")
        }
        let stream = streams[track]
        let isVideo = stream.info.mediaType == .video
        let dts = TSTime.rescaleNearest(sample.dts, from: stream.info.timescale, to: TS.clockRate)
        let pts = TSTime.rescaleNearest(sample.pts, from: stream.info.timescale, to: TS.clockRate)
        let payload = try Self.elementaryPayload(sample, payload: stream.payload, track: track)
        if case .opus(let code, _?) = stream.payload { streams[track].payload = .opus(channelConfigCode: code, preSkip: nil) }
        let header = try PESHeader.serialize(
            streamID: stream.payload.streamType.pesStreamID, pts: TSTime.wrap(pts &+ timestampOffset),
            dts: pts == dts ? nil : TSTime.wrap(dts &+ timestampOffset), payloadLength: payload.count, unboundedAllowed: isVideo)

        if shouldWriteTables(dts: dts, videoSync: isVideo && sample.isSync) {
            TSPacketWriter.writeSection(patSection, pid: TS.patPID, continuityCounter: &patContinuityCounter, into: &out)
            TSPacketWriter.writeSection(pmtSection, pid: Self.pmtPID, continuityCounter: &pmtContinuityCounter, into: &out)
            lastTables = dts
        }
        let pcr = writePCR(dts: dts, onPCRStream: track == pcrStream, into: &out)

        var pes = ByteBufferAllocator().buffer(capacity: header.count + payload.count)
        pes.writeBytes(header)
        pes.writeBytes(payload)
        var first = true
        while pes.readableBytes > 0 {
            TSPacketWriter.writePacket(pid: stream.pid, payloadUnitStart: first, continuityCounter: streams[track].continuityCounter,
                                       pcrBase: first ? pcr : nil, randomAccess: first && sample.isSync, payload: &pes, into: &out)
            streams[track].continuityCounter = (streams[track].continuityCounter + 1) & 0x0F
            first = false
        }
    }

    /// Without video the tables go before the first sample that could otherwise leave more than
    /// 100 ms between two copies: one frame duration early.
    private func shouldWriteTables(dts: Int64, videoSync: Bool) -> Bool {
        guard let last = lastTables else { return true }
        if hasVideo { return videoSync }
        return dts - last >= Self.tableInterval - audioFrameDuration || dts < last
    }

    /// Writes the PCR-only packets that keep the PCR interval within 40 ms and returns the PCR for
    /// this sample's first packet when it is on the PCR stream and one is due.
    private mutating func writePCR(dts: Int64, onPCRStream: Bool, into out: inout ByteBuffer) -> UInt64? {
        let target = dts - Self.pcrDelay
        if let last = lastPCR {
            let step = target - last
            // Not before half an interval (every audio frame or 60 fps frame would get one), and
            // never backwards unless the clock jumped back (a new input): then start over.
            guard step >= Self.pcrInterval / 2 || step < -Self.maxPCRFill else { return nil }
            if step <= Self.maxPCRFill {
                var fill = last + Self.pcrInterval
                while fill < target {
                    writePCROnlyPacket(fill, into: &out)
                    fill += Self.pcrInterval
                }
            }
        }
        lastPCR = target
        if onPCRStream { return TSTime.wrap(target &+ timestampOffset) }
        writePCROnlyPacket(target, into: &out)
        return nil
    }

    /// An adaptation-field-only packet on the PCR PID. Its continuity counter repeats the previous
    /// packet's: it is not incremented without a payload (§2.4.3.3).
    private func writePCROnlyPacket(_ pcr: Int64, into out: inout ByteBuffer) {
        let stream = streams[pcrStream]
        var empty = ByteBuffer()
        TSPacketWriter.writePacket(pid: stream.pid, payloadUnitStart: false, continuityCounter: (stream.continuityCounter &- 1) & 0x0F,
                                   pcrBase: TSTime.wrap(pcr &+ timestampOffset), payload: &empty, into: &out)
    }
}
