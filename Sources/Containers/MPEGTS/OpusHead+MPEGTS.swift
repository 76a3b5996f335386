import Codecs

extension OpusHead {
    /// Channels an `opus_audio_descriptor` may describe by a `channel_config_code` alone: 1 to 8,
    /// the layouts of mapping families 0 and 1 (RFC 7845 §5.1.1.1, §5.1.1.2).
    static let maxMPEGTSChannels: UInt8 = 8

    /// Stream and coupled-stream counts and channel mapping of codes 3 to 8 (index `code - 3`):
    /// the Vorbis channel orders of mapping family 1 (RFC 7845 §5.1.1.2) as libopus's surround
    /// encoder lays them out, which the draft's `channel_config_code` semantics and FFmpeg follow.
    private static let mpegTSSurround: [ChannelMapping] = [
        ChannelMapping(streamCount: 2, coupledCount: 1, mapping: [0, 2, 1]),
        ChannelMapping(streamCount: 2, coupledCount: 2, mapping: [0, 1, 2, 3]),
        ChannelMapping(streamCount: 3, coupledCount: 2, mapping: [0, 4, 1, 2, 3]),
        ChannelMapping(streamCount: 4, coupledCount: 2, mapping: [0, 4, 1, 2, 3, 5]),
        ChannelMapping(streamCount: 4, coupledCount: 3, mapping: [0, 4, 1, 2, 3, 5, 6]),
        ChannelMapping(streamCount: 5, coupledCount: 3, mapping: [0, 6, 1, 2, 3, 4, 5, 7]),
    ]

    /// The identification header an MPEG-TS Opus stream implies, since it carries none: 48 kHz,
    /// gain 0, the layout of its `opus_audio_descriptor`'s `channel_config_code` (ETSI TS Opus
    /// draft v0.1.3, Table 4-2) and the pre-skip of its first access unit's `start_trim`.
    ///
    /// Codes 1 and 2 are mono and stereo (family 0), 3 to 8 the surround layouts of family 1.
    /// Dual mono (0), the family-255 codes (0x80 to 0x88), explicit mappings (0x81) and reserved
    /// codes are refused, as is a stream whose PMT has no `opus_audio_descriptor`.
    init(mpegTSChannelConfigCode code: UInt8?, preSkip: UInt16, what: String) throws(ContainersError) {
        guard let code else { throw .unsupported(what: what, reason: "no opus_audio_descriptor in the PMT") }
        guard code >= 1, code <= Self.maxMPEGTSChannels else {
            throw .unsupported(what: what, reason: "channel_config_code 0x\(String(code, radix: 16)) (only 1 to 8 channels of mapping family 0 or 1)")
        }
        self.init(outputChannelCount: code, preSkip: preSkip, channelMappingFamily: code <= 2 ? 0 : 1,
                  channelMapping: code <= 2 ? nil : Self.mpegTSSurround[Int(code) - 3])
    }

    /// The `channel_config_code` that states this layout, for the muxer: the channel count for
    /// mono and stereo of family 0 and for the family-1 layouts of codes 3 to 8; nil for any other
    /// layout, which MPEG-TS cannot carry without an explicit mapping.
    var mpegTSChannelConfigCode: UInt8? {
        let code = outputChannelCount
        guard code >= 1, code <= Self.maxMPEGTSChannels else { return nil }
        if code <= 2 { return channelMappingFamily == 0 ? code : nil }
        guard channelMappingFamily == 1, channelMapping == Self.mpegTSSurround[Int(code) - 3] else { return nil }
        return code
    }
}
