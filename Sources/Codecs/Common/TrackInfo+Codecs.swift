import MediaCore

/// `TrackInfo`s built from decoder configurations, one way for every container that carries them
/// (FLV sequence headers, MPEG-TS in-band parameter sets and ADTS headers).
extension TrackInfo {
    /// An H.264 track at 90 kHz. The codec string, picture size and frame rate come from the first
    /// SPS (RFC 6381 §3.3; VUI timing, H.264 §E.2.1); `fallbackFrameRate` (for example onMetaData)
    /// applies when the SPS states none. `decoderConfig` defaults to the record serialised.
    public static func h264(
        _ record: AVCDecoderConfigurationRecord, decoderConfig: [UInt8]? = nil, fallbackFrameRate: Rational? = nil
    ) throws(CodecsError) -> TrackInfo {
        let sps = try record.parsedSPS()
        return TrackInfo(codec: .h264, timescale: MediaTime.videoTimescale, decoderConfig: decoderConfig ?? record.serialized(),
                         codecString: sps.codecString,
                         video: VideoParameters(width: sps.width, height: sps.height, frameRate: sps.frameRate ?? fallbackFrameRate))
    }

    /// An HEVC track at 90 kHz: codec string from the record (ISO/IEC 14496-15 Annex E.3), picture
    /// size from its first SPS.
    public static func hevc(
        _ record: HEVCDecoderConfigurationRecord, decoderConfig: [UInt8]? = nil, frameRate: Rational? = nil
    ) throws(CodecsError) -> TrackInfo {
        let sps = try record.parsedSPS()
        return TrackInfo(codec: .hevc, timescale: MediaTime.videoTimescale, decoderConfig: decoderConfig ?? record.serialized(),
                         codecString: record.codecString,
                         video: VideoParameters(width: sps.width, height: sps.height, frameRate: frameRate))
    }

    /// An AAC track whose timescale is the output sample rate (the SBR rate for HE-AAC).
    /// `decoderConfig` defaults to the AudioSpecificConfig serialised.
    public static func aac(_ config: AudioSpecificConfig, decoderConfig: [UInt8]? = nil) -> TrackInfo {
        TrackInfo(codec: .aac, timescale: UInt32(config.outputSampleRate), decoderConfig: decoderConfig ?? config.serialized(),
                  codecString: config.codecString, audio: config.audioParameters)
    }

    /// An Opus track at 48 kHz, the rate Opus always decodes at (RFC 7845 §4), whatever its input
    /// rate; `decoderConfig` is the `dOps` payload. `samplesPerFrame` is the common 20 ms frame:
    /// each packet states its own duration in its TOC byte (RFC 6716 §3.1).
    public static func opus(_ head: OpusHead) -> TrackInfo {
        TrackInfo(codec: .opus, timescale: UInt32(OpusHead.sampleRate), decoderConfig: head.dOpsPayload(),
                  codecString: head.codecString,
                  audio: AudioParameters(sampleRate: OpusHead.sampleRate, channelCount: Int(head.outputChannelCount),
                                         samplesPerFrame: 960))
    }
}
