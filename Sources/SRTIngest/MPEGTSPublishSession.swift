import Containers
import Hub
import Ingest
import Logging
import MediaCore
import NIOCore

/// The MPEG-TS-to-hub adapter: turns the transport stream of one publish (SRT payloads, in
/// order) into hub events, as `FLVPublishSession` does for RTMP's FLV tags.
///
/// - The `Containers` demuxer (ISO/IEC 13818-1) finds the program's H.264, HEVC, AAC and Opus
///   streams; its `.tracks` becomes the hub's `.tracks` with the first video stream first and
///   every audio stream after it in PMT order, each with its language (the order RTMP gives for
///   one audio; at most `TrackInfo.maximumAudioTracks`, further ones logged and left out), other streams are left out. A changed
///   configuration announces a new track set (a discontinuity).
/// - Timestamps: the demuxer unwraps the 33-bit 90 kHz clock; the session moves them so that the
///   first sample sits at ``startTime``, whatever clock the encoder runs (hardware boxes start
///   anywhere in the 26.5-hour cycle), so that a publish looks the same as an RTMP one downstream.
/// - SCTE-35 cues (a PMT stream of type 0x86) become markers on the channel, as an RTMP
///   `onCuePoint` does (``CuePoint/marker(_:start:id:duration:)``), at their splice time moved
///   like the samples' (the demuxer unwraps it on the program clock); a `splice_immediate` cue
///   at the time of the latest sample. A cue read before the first sample comes out waits for it.
///   A cue repeated before its splice (encoders send each a few times ahead) is posted once. A
///   cue that cannot be used is logged once and dropped; the publish goes on.
///
/// Not thread-safe: the SRT listener calls it from its one thread, in order.
public final class MPEGTSPublishSession {
    private let publisher: HubPublisher
    private var demuxer: TSDemuxer
    /// A packet split across payloads waits here (SRT payloads carry whole packets, 7 × 188
    /// bytes, but nothing in the protocol promises it).
    private var pending = ByteBuffer()
    /// For each of the demuxer's track indices, its index in the hub's track set (nil: left out),
    /// and the timescale of its samples.
    private var routes: [(index: Int, timescale: UInt32)?] = []
    /// The 90 kHz time that becomes ``startTime``, fixed by the first sample.
    private var origin: Int64?
    /// The latest presentation time delivered, 90 kHz on the demuxer's timeline: where an
    /// immediate cue splices.
    private var latest: Int64?
    /// The markers last posted, to recognise a repeated cue: at most ``MarkerQueue/capacity``.
    private var posted: [ChannelMarker] = []
    /// Cues read before the first sample came out (the demuxer holds samples until every stream
    /// has its configuration), placed with it: at most ``MarkerQueue/capacity``.
    private var early: [(splice: SpliceInfoSection, time: Int64?)] = []
    private let logger: Logger
    private var closed = false

    /// Where the first sample of a publish lands, in 90 kHz ticks: one second, so that a sample
    /// a muxer interleaved up to a second earlier than the first one (ffmpeg's default
    /// `max_delay` is 0.7 s) still has a positive time.
    public static let startTime: Int64 = 90_000

    public init(publisher: HubPublisher, limits: TSLimits = TSLimits(), logger: Logger = Logger(label: "antenne.srt")) {
        self.publisher = publisher
        self.demuxer = TSDemuxer(limits: limits)
        self.logger = logger
    }

    /// What the demuxer has seen and thrown away so far.
    public var statistics: TSDemuxerStatistics { demuxer.statistics }
    /// SCTE-35 cues read but not posted as markers: no duration, unreadable descriptors, before
    /// the first sample, or the channel's marker queue full.
    public private(set) var rejectedCues = 0

    /// One payload of the transport stream. A throw means the input is not usable MPEG-TS (no sync
    /// byte within the demuxer's limit, a PSI section or parameter set that cannot be parsed):
    /// the listener logs it and closes the connection.
    public func receive(_ payload: ByteBuffer) throws(ContainersError) {
        guard !closed else { return }
        var payload = payload
        pending.writeBuffer(&payload)
        defer { pending.discardReadBytes() }
        for output in try demuxer.feed(&pending) { handle(output) }
    }

    /// The publish ended: what the demuxer still holds is delivered, then readers get `.end`.
    /// Idempotent.
    public func close() {
        guard !closed else { return }
        closed = true
        for output in demuxer.flush() { handle(output) }
        for (splice, time) in early { place(splice, time: time) }  // no sample came: each is logged
        early = []
        publisher.finish()
    }

    private func handle(_ output: TSDemuxer.Output) {
        switch output {
        case .tracks(let tracks):
            announce(tracks.map(\.info))
        case .sample(let track, var sample):
            guard track < routes.count, let route = routes[track] else { return }
            let origin = self.origin ?? MediaTime.rescale(sample.dts, from: route.timescale, to: MediaTime.videoTimescale)
            self.origin = origin
            let pts = MediaTime.rescale(sample.pts, from: route.timescale, to: MediaTime.videoTimescale)
            latest = max(latest ?? pts, pts)
            sample.dts += MediaTime.rescale(Self.startTime - origin, from: MediaTime.videoTimescale, to: route.timescale)
            publisher.send(.sample(track: route.index, sample))
            for (splice, time) in early { place(splice, time: time) }
            early = []
        case .spliceInfo(let splice, _, let time):
            if origin == nil, early.count < MarkerQueue.capacity {
                early.append((splice, time))
            } else {
                place(splice, time: time)
            }
        }
    }

    /// Posts the marker of a cue, or logs in one line why it has none.
    private func place(_ splice: SpliceInfoSection, time: Int64?) {
        do {
            try cue(splice, time: time)
        } catch {
            rejectedCues += 1
            let reason = if case .invalidCuePoint(let reason) = error { reason } else { "\(error)" }
            logger.warning("SCTE-35 cue ignored: \(reason)")
        }
    }

    /// Posts the marker an SCTE-35 cue starts. `time` is its splice time on the demuxer's
    /// timeline, nil for at once.
    private func cue(_ splice: SpliceInfoSection, time: Int64?) throws(IngestError) {
        guard let origin, let time = time ?? latest else {
            throw .invalidCuePoint("the cue came before the first sample, so it has no place on the timeline (\(MarkerQueue.capacity) wait at most)")
        }
        let start = MediaTime(ticks: time + Self.startTime - origin, timescale: MediaTime.videoTimescale)
        guard let marker = try CuePoint.marker(splice, start: .mediaTime(start)), !posted.contains(marker) else { return }
        guard publisher.channel.markers.post(marker) else {
            throw .invalidCuePoint("\(MarkerQueue.capacity) markers already wait for the channel's packager")
        }
        posted.append(marker)
        if posted.count > MarkerQueue.capacity { posted.removeFirst() }
    }

    /// The first video stream, then every audio stream in PMT order (up to
    /// `TrackInfo.maximumAudioTracks`): the first is the channel's default audio, as RTMP's one audio is.
    private func announce(_ infos: [TrackInfo]) {
        let video = infos.firstIndex { $0.mediaType == .video }
        let audio = infos.indices.filter { infos[$0].mediaType == .audio }
        if audio.count > TrackInfo.maximumAudioTracks {
            logger.warning("MPEG-TS program has \(audio.count) audio streams: the first \(TrackInfo.maximumAudioTracks) are kept")
        }
        let kept = [video].compactMap { $0 } + audio.prefix(TrackInfo.maximumAudioTracks)
        routes = infos.indices.map { i in
            kept.firstIndex(of: i).map { (index: $0, timescale: infos[i].timescale) }
        }
        publisher.send(.tracks(kept.map { infos[$0] }))
    }
}
