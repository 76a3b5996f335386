import Codecs
import MediaCore
import NIOCore

/// Looks for CEA-608 and CEA-708 captions (ATSC A/53 `cc_data` in SEI, ITU-T H.264 §D.1.6,
/// H.265 §D.2.6) in the samples of one H.264 or HEVC track, so that the playlists can signal each
/// channel (RFC 8216bis §4.4.6.1). A session is scanned to its end, as a channel may start to speak
/// at any time; that costs a walk over each sample's NAL lengths and the parse of its SEI NAL
/// units only.
struct CaptionScan: Sendable {
    /// The channels found so far in the session.
    var found = CaptionChannels()
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

    /// The caption channels `sample` speaks on.
    func channels(_ sample: Sample) throws(CodecsError) -> CaptionChannels {
        try VideoCaptions.channels(inSample: sample.data.readableBytesView, codec: codec, lengthSize: lengthSize)
    }
}
