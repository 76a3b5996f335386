import Codecs
import MediaCore
import NIOCore

/// One elementary stream of the program the demuxer follows: continuity, PES reassembly and the
/// codec state that turns each PES into samples and configurations.
struct TSElementaryStream {
    enum Event {
        /// The configuration of the samples that follow.
        case track(TrackInfo)
        case sample(Sample)
        /// A PES that could not be used, and why.
        case droppedPES(ContainersError)
        /// An access unit that cannot be delivered (no configuration yet).
        case droppedSample(ContainersError)
    }

    /// Parameter sets last seen in band. An access unit that carries some replaces those of its type.
    struct ParameterSets: Equatable {
        var vps: [[UInt8]] = []
        var sps: [[UInt8]] = []
        var pps: [[UInt8]] = []
    }

    let pid: UInt16
    let streamType: TSStreamType
    /// The language its PMT entry states (`ISO_639_language_descriptor`), given to its track.
    var language: LanguageTag?
    var continuity = ContinuityCounter()
    var pes = PESAssembler()
    /// The configuration delivered with this stream's samples, as the demuxer last applied it.
    var track: TrackInfo?
    /// The configuration the codec state has reached (ahead of `track` while events are applied).
    var codecTrack: TrackInfo?
    var parameterSets = ParameterSets()
    /// Parameter sets changed since `codecTrack` was built.
    var parameterSetsChanged = false
    var audioConfig: AudioSpecificConfig?
    /// DTS of the next audio frame, in the sample rate, for a PES without PTS.
    var nextAudioDTS: Int64?

    init(pid: UInt16, streamType: TSStreamType) {
        self.pid = pid
        self.streamType = streamType
    }

    var what: String { "PID 0x" + String(pid, radix: 16) }

    /// Turns one complete PES packet into events. Timestamps are unwrapped on the program clock and
    /// `timestampOffset` is subtracted. Throws only for parameter sets that cannot be parsed or an
    /// Opus channel configuration that is not supported: the stream cannot be described, which the
    /// caller must know.
    mutating func process(pes bytes: [UInt8], clock: inout TSTimestampUnwrapper, timestampOffset: Int64, limits: TSLimits)
        throws(ContainersError) -> [Event] {
        let header: PESHeader
        do {
            header = try PESHeader(parsing: bytes)
        } catch {
            return [.droppedPES(error)]
        }
        // Unwrap DTS first: it precedes the PTS of the same access unit.
        let dts = header.dts.map { clock.unwrap($0) - timestampOffset }
        let pts = header.pts.map { clock.unwrap($0) - timestampOffset }
        let payload = bytes[header.headerLength...]
        switch streamType {
        case .h264, .hevc: return try processVideo(payload, pts: pts, dts: dts)
        case .aacADTS: return processAudio(payload, pts: pts, limits: limits)
        case .opus(let code): return try processOpus(payload, pts: pts, channelConfigCode: code, limits: limits)
        }
    }
}
