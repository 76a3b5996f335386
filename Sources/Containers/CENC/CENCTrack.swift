import MediaCore

/// How the samples of one track are split into clear and protected bytes under `cbcs`
/// (ISO/IEC 23001-7 §9.5 and §10.4).
///
/// - Video (H.264, HEVC): subsample encryption of NAL-structured video (§9.5.2.1). Each sample
///   is a run of NAL units, each behind its `lengthSize`-byte length. What stays clear: every
///   length field; every non-VCL NAL unit whole (parameter sets, SEI, access unit delimiters:
///   a decoder and a secure pipeline read them before any key); and the first
///   ``videoClearLeader`` bytes of each VCL NAL unit, which hold its NAL header (1 byte in
///   H.264, 2 in HEVC) and its slice header. §10.4.2 wants the slice header clear; its exact
///   length needs the active SPS and PPS, so the bound Apple's Sample Encryption uses for the
///   same purpose is kept instead: 32 bytes, more than the headers of the encoder ladder's
///   slices. The rest of the VCL NAL unit is the protected range, to which the 1:9 pattern
///   applies from its first byte (§10.4.2); a partial block at its end stays clear.
/// - Audio (AAC, Opus): the whole sample is the protected range with no pattern (0:0, every
///   whole 16-byte block encrypted, §10.4.1), and no subsamples; a partial block at its end
///   stays clear.
public struct CENCTrack: Sendable, Hashable {
    public enum Layout: Sendable, Hashable {
        /// NAL units behind `lengthSize`-byte lengths; `hevc` tells the VCL types apart.
        case nalUnits(lengthSize: Int, hevc: Bool)
        case wholeSample
    }

    public let layout: Layout

    /// Bytes at the start of each VCL NAL unit kept clear: NAL header and slice header.
    public static let videoClearLeader = 32

    public init(layout: Layout) {
        self.layout = layout
    }

    /// The layout of `track`'s samples, from its codec and decoder configuration record:
    /// `lengthSizeMinusOne` is in the low bits of `avcC` byte 4 (ISO/IEC 14496-15 §5.3.3.1.2)
    /// and of `hvcC` byte 21 (§8.3.3.1.2). AV1 (whose OBUs §9.5.2.2 splits differently) is not
    /// encrypted here.
    public init(_ track: TrackInfo) throws(ContainersError) {
        let config = track.decoderConfig
        switch track.codec {
        case .h264:
            guard config.count > 4 else { throw .truncated(what: "avcC", needed: 5, available: config.count) }
            layout = .nalUnits(lengthSize: Int(config[4] & 3) + 1, hevc: false)
        case .hevc:
            guard config.count > 21 else { throw .truncated(what: "hvcC", needed: 22, available: config.count) }
            layout = .nalUnits(lengthSize: Int(config[21] & 3) + 1, hevc: true)
        case .aac, .opus:
            layout = .wholeSample
        case .av1:
            throw .unsupported(what: "cbcs", reason: "AV1 OBU subsample encryption")
        }
    }

    /// `crypt_byte_block` and `skip_byte_block` (§10.4): 1:9 for video, none for audio.
    public var pattern: (crypt: UInt8, skip: UInt8) {
        switch layout {
        case .nalUnits: (1, 9)
        case .wholeSample: (0, 0)
        }
    }

    /// Whether NAL unit type `type` carries slice data (VCL): H.264 types 1 to 5 (ITU-T H.264
    /// Table 7-1), HEVC types 0 to 31 (ITU-T H.265 Table 7-1).
    static func isVCL(_ header: UInt8, hevc: Bool) -> Bool {
        if hevc { return (header >> 1) & 0x3F < 32 }
        let type = header & 0x1F
        return type >= 1 && type <= 5
    }
}
