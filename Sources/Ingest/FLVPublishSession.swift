import Codecs
import Containers
import Hub
import MediaCore
import NIOCore
import RTMP

/// The RTMP-to-hub adapter: turns FLV tag bodies of one publish session into hub events.
///
/// - Sequence headers become `TrackInfo`s (video at 90 kHz, audio at its sample rate). The track set
///   is announced with `.tracks` just before the first sample; a changed or new configuration
///   announces a new set (a discontinuity); an identical repeated header is ignored.
/// - Video samples carry length-prefixed NAL units with 4-byte lengths (AVC, HEVC) or OBUs (AV1);
///   frames before the first key frame of a configuration are dropped.
/// - Audio timestamps are smoothed: they advance by exactly one frame's duration while the RTMP
///   clock agrees within `audioResyncTolerance`, so RTMP's millisecond rounding adds no jitter.
///
/// Not thread-safe: the RTMP connection calls it from its event loop, in order.
public final class FLVPublishSession: MediaSink {
    private let publisher: HubPublisher
    private var video: VideoState?
    private var audio: AudioState?
    private var metadataFrameRate: Rational?
    /// The track set readers last received, nil before the first announcement or after a change.
    private var announced: [TrackInfo]?
    /// A sequence header replaced the video or audio configuration since the last sample.
    private var configurationChanged = false
    private var clock = TimestampUnwrapper()
    private var closed = false

    public init(publisher: HubPublisher) {
        self.publisher = publisher
    }

    struct VideoState {
        var codec: FLVVideoCodec
        /// The sequence header bytes as received, to recognise repeats.
        var rawConfig: ByteBuffer
        var track: TrackInfo
        /// NAL unit length size of the incoming samples (1, 2 or 4); samples are rewritten to 4.
        var nalLengthSize: Int
        var seenKeyFrame = false
    }

    struct AudioState {
        var codec: FLVAudioCodec
        var rawConfig: ByteBuffer
        var track: TrackInfo
        /// The smoothed dts the next frame gets when the RTMP clock agrees.
        var nextDTS: Int64?
    }

    // MARK: MediaSink

    public func metadata(_ properties: [String: MetadataValue]) {
        if case .number(let fps) = properties["framerate"] ?? properties["videoframerate"] {
            metadataFrameRate = Self.frameRate(fromMetadata: fps)
        }
    }

    public func media(_ kind: FLVTagKind, timestamp: UInt32, body: ByteBuffer) throws {
        guard !closed else { return }
        let milliseconds = clock.unwrap(timestamp)
        switch kind {
        case .video: try handleVideo(try FLVVideoTag(parsing: body), milliseconds: milliseconds)
        case .audio: try handleAudio(try FLVAudioTag(parsing: body), milliseconds: milliseconds)
        }
    }

    /// Posts the marker the cue starts on the channel (``CuePoint``), at the cue's time on this
    /// session's timeline (the samples' clock).
    public func cuePoint(_ value: AMF0Value, timestamp: UInt32) throws {
        guard !closed else { return }
        let cue = try CuePoint(value)
        guard let marker = try cue.marker(timestamp: clock.unwrap(timestamp)) else { return }
        guard publisher.channel.markers.post(marker) else {
            throw IngestError.invalidCuePoint("\(MarkerQueue.capacity) markers already wait for the channel's packager")
        }
    }

    public func close() {
        guard !closed else { return }
        closed = true
        publisher.finish()
    }

    // MARK: Video

    private func handleVideo(_ tag: FLVVideoTag, milliseconds: Int64) throws {
        switch tag {
        case .sequenceStart(let codec, let config):
            if let v = video, v.codec == codec, v.rawConfig == config { return }
            video = try Self.videoState(codec: codec, config: config, metadataFrameRate: metadataFrameRate)
            configurationChanged = true
        case .codedFrame(let codec, let frameType, let compositionTime, let data):
            guard var v = video else { return }  // no configuration yet: nothing can decode it
            guard v.codec == codec else {
                throw FLVPublishSessionError.codecMismatch(configured: v.codec.fourCC, received: codec.fourCC)
            }
            guard data.readableBytes > 0 else { return }
            let (payload, hasIRAP) = try Self.normalise(data, codec: codec, nalLengthSize: v.nalLengthSize)
            let isSync = codec == .hevc ? hasIRAP : (frameType == .key || frameType == .generatedKey)
            if !v.seenKeyFrame {
                guard isSync else { return }
                v.seenKeyFrame = true
                video = v
            }
            let sample = Sample(
                dts: milliseconds * Int64(MediaTime.videoTimescale / MediaTime.rtmpTimescale),
                compositionOffset: compositionTime * Int32(MediaTime.videoTimescale / MediaTime.rtmpTimescale),
                isSync: isSync, data: payload)
            send(sample, video: true)
        case .sequenceEnd, .metadata, .command:
            return
        }
    }

    static func videoState(codec: FLVVideoCodec, config: ByteBuffer, metadataFrameRate: Rational?) throws -> VideoState {
        let bytes = Array(config.readableBytesView)
        switch codec {
        case .avc:
            let record = try AVCDecoderConfigurationRecord(parsing: bytes)
            let incoming = record.nalLengthSize
            let track = try TrackInfo.h264(record, decoderConfig: fourByteLengths(record, original: bytes),
                                           fallbackFrameRate: metadataFrameRate)
            return VideoState(codec: codec, rawConfig: config, track: track, nalLengthSize: incoming)
        case .hevc:
            let record = try HEVCDecoderConfigurationRecord(parsing: bytes)
            let incoming = record.nalLengthSize
            let track = try TrackInfo.hevc(record, decoderConfig: fourByteLengths(record, original: bytes),
                                           frameRate: metadataFrameRate)
            return VideoState(codec: codec, rawConfig: config, track: track, nalLengthSize: incoming)
        case .av1:
            let record = try AV1CodecConfigurationRecord(parsing: bytes)
            let header = try record.parsedSequenceHeader()
            let track = TrackInfo(codec: .av1, timescale: MediaTime.videoTimescale, decoderConfig: bytes,
                                  codecString: record.codecString,
                                  video: VideoParameters(width: header.maxFrameWidth, height: header.maxFrameHeight,
                                                         frameRate: metadataFrameRate))
            return VideoState(codec: codec, rawConfig: config, track: track, nalLengthSize: 0)
        }
    }

    /// Validates the sample's framing and rewrites NAL lengths to 4 bytes when needed. Returns
    /// whether an HEVC sample holds an IRAP NAL unit (H.265 §7.4.2.2).
    static func normalise(_ data: ByteBuffer, codec: FLVVideoCodec, nalLengthSize: Int) throws -> (ByteBuffer, Bool) {
        if codec == .av1 {
            _ = try AV1OBU.split(Array(data.readableBytesView))
            return (data, false)
        }
        // Checked in place: the sample is only copied when its lengths must be rewritten.
        let view = data.readableBytesView
        let units = try LengthPrefixed.unitRanges(view, lengthSize: nalLengthSize)
        let hasIRAP = codec == .hevc && units.contains { !$0.isEmpty && HEVCNALUnitType.isIRAP(HEVCNALUnitType.type(header: view[$0.lowerBound])) }
        guard nalLengthSize != 4 else { return (data, hasIRAP) }
        return (ByteBuffer(bytes: LengthPrefixed.join(units.map { view[$0] }, lengthSize: 4)), hasIRAP)
    }

    // MARK: Audio

    private func handleAudio(_ tag: FLVAudioTag, milliseconds: Int64) throws {
        switch tag {
        case .sequenceStart(let codec, let config):
            if let a = audio, a.codec == codec, a.rawConfig == config { return }
            let track = try Self.audioTrack(codec: codec, config: config)
            // Keep the smoothed clock across a configuration change only if the rate is unchanged.
            let next = audio?.track.timescale == track.timescale ? audio?.nextDTS : nil
            audio = AudioState(codec: codec, rawConfig: config, track: track, nextDTS: next)
            configurationChanged = true
        case .codedFrame(let codec, let data):
            guard var a = audio else { return }
            guard a.codec == codec else {
                throw FLVPublishSessionError.codecMismatch(configured: a.codec.fourCC, received: codec.fourCC)
            }
            guard data.readableBytes > 0 else { return }
            let frameDuration: Int64
            switch codec {
            case .aac: frameDuration = Int64(a.track.audio?.samplesPerFrame ?? 1024)
            case .opus: frameDuration = Int64(try OpusPacket.sampleCount(data.readableBytesView))
            }
            let rtmpDTS = MediaTime.rescale(milliseconds, from: MediaTime.rtmpTimescale, to: a.track.timescale)
            let dts: Int64
            if let expected = a.nextDTS, abs(rtmpDTS - expected) <= Self.audioResyncTolerance(frameDuration: frameDuration) {
                dts = expected
            } else {
                dts = rtmpDTS
            }
            a.nextDTS = dts + frameDuration
            audio = a
            send(Sample(dts: dts, isSync: true, data: data), video: false)
        case .sequenceEnd:
            return
        }
    }

    /// How far the RTMP clock may stray from the smoothed clock before audio resyncs to it.
    ///
    /// RTMP stamps in whole milliseconds, so each frame's stamp is off by up to 1 ms (44 ticks at
    /// 44.1 kHz), and encoders add capture jitter of a few milliseconds. A lost or inserted frame
    /// moves the clock by a whole frame. Half a frame (about 11 ms for AAC at 44.1 kHz) absorbs the
    /// first and catches the second on the very frame it happens.
    static func audioResyncTolerance(frameDuration: Int64) -> Int64 { frameDuration / 2 }

    static func audioTrack(codec: FLVAudioCodec, config: ByteBuffer) throws -> TrackInfo {
        let bytes = Array(config.readableBytesView)
        switch codec {
        case .aac:
            return TrackInfo.aac(try AudioSpecificConfig(parsing: bytes), decoderConfig: bytes)
        case .opus:
            return TrackInfo.opus(try OpusHead(parsing: bytes))
        }
    }

    // MARK: Announcing and sending

    private func send(_ sample: Sample, video isVideo: Bool) {
        if configurationChanged || announced == nil {
            configurationChanged = false
            let tracks = currentTracks
            if announced != tracks {
                publisher.send(.tracks(tracks))
                announced = tracks
            }
        }
        // Video comes first in the track set when configured.
        let index = isVideo ? 0 : (video == nil ? 0 : 1)
        publisher.send(.sample(track: index, sample))
    }

    private var currentTracks: [TrackInfo] {
        [video?.track, audio?.track].compactMap { $0 }
    }

    /// onMetaData `framerate` is a double; 29.97-style rates map to the exact NTSC fraction n·1000/1001.
    static func frameRate(fromMetadata fps: Double) -> Rational? {
        guard fps.isFinite, fps > 0, fps <= 1000 else { return nil }
        if fps == fps.rounded() { return Rational(Int64(fps), 1) }
        let ntsc = (fps * 1.001).rounded()
        if abs(fps * 1.001 - ntsc) < 0.001 { return Rational(Int64(ntsc) * 1000, 1001) }
        let thousandths = Int64((fps * 1000).rounded())
        var a = thousandths, b: Int64 = 1000
        while b != 0 { (a, b) = (b, a % b) }
        return Rational(thousandths / a, 1000 / a)
    }
}

/// Errors of the FLV publish session that are not parse errors of a tag or codec record.
public enum FLVPublishSessionError: Error, Sendable, Hashable {
    /// A coded frame's codec differs from the configured one (no sequence header switched it).
    case codecMismatch(configured: String, received: String)
}

/// Extends RTMP's 32-bit millisecond clock to 64 bits: each stamp moves the clock by its signed
/// 32-bit difference from the previous one, so wrap-around (every ~49.7 days) and small backward
/// steps between interleaved audio and video are both handled.
struct TimestampUnwrapper {
    private var last: UInt32?
    private var extended: Int64 = 0

    mutating func unwrap(_ timestamp: UInt32) -> Int64 {
        if let last {
            extended += Int64(Int32(bitPattern: timestamp &- last))
        } else {
            extended = Int64(timestamp)
        }
        last = timestamp
        return extended
    }
}

/// AVC and HEVC decoder configuration records both state the NAL length size of their samples.
protocol NALLengthRecord {
    var nalLengthSize: Int { get set }
    func serialized() -> [UInt8]
}

extension AVCDecoderConfigurationRecord: NALLengthRecord {}
extension HEVCDecoderConfigurationRecord: NALLengthRecord {}

/// Samples are rewritten to 4-byte NAL lengths, so the stored record must say 4.
private func fourByteLengths(_ record: some NALLengthRecord, original: [UInt8]) -> [UInt8] {
    guard record.nalLengthSize != 4 else { return original }
    var rewritten = record
    rewritten.nalLengthSize = 4
    return rewritten.serialized()
}
