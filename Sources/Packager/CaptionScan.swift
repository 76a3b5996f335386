import Codecs
import MediaCore
import NIOCore

/// Looks for CEA-608 captions (ATSC A/53 `cc_data` in SEI, ITU-T H.264 §D.1.6, H.265 §D.2.6) in
/// the samples of one H.264 or HEVC track, so that the playlists can signal them (RFC 8216bis §4.4.6.1). A track is
/// scanned until its first caption bytes; a session without captions is scanned to its end, which
/// costs a walk over each sample's NAL lengths and the parse of its SEI NAL units only.
struct CaptionScan: Sendable {
    private let codec: Codec
    /// `lengthSizeMinusOne + 1` of the track's `avcC` or `hvcC` (ISO/IEC 14496-15 §5.3.3.1.2,
    /// §8.3.3.1.2).
    private let lengthSize: Int

    /// A scan of `track`, or nil when it is not H.264 or HEVC video (AV1 carries captions in
    /// metadata OBUs, not looked at).
    init?(track: TrackInfo) throws(CodecsError) {
        switch track.codec {
        case .h264: lengthSize = try AVCDecoderConfigurationRecord(parsing: track.decoderConfig).nalLengthSize
        case .hevc: lengthSize = try HEVCDecoderConfigurationRecord(parsing: track.decoderConfig).nalLengthSize
        default: return nil
        }
        codec = track.codec
    }

    /// Whether `sample` carries caption bytes on field 1 (CC1, CC2).
    func carriesCaptions(_ sample: Sample) throws(CodecsError) -> Bool {
        try VideoCaptions.carriesCEA608(sample: sample.data.readableBytesView, codec: codec, lengthSize: lengthSize)
    }
}
