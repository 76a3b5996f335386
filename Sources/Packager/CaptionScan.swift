import Codecs
import MediaCore
import NIOCore

/// Looks for CEA-608 captions (ATSC A/53 `cc_data` in SEI, ITU-T H.264 §D.1.6) in the samples of
/// one H.264 track, so that the playlists can signal them (RFC 8216bis §4.4.6.1). A track is
/// scanned until its first caption bytes; a session without captions is scanned to its end, which
/// costs a walk over each sample's NAL lengths and the parse of its SEI NAL units only.
struct CaptionScan: Sendable {
    /// `lengthSizeMinusOne + 1` of the track's `avcC` (ISO/IEC 14496-15 §5.3.3.1.2).
    private let lengthSize: Int

    /// A scan of `track`, or nil when it is not H.264 video (HEVC carries the same data in its own
    /// SEI, not looked at yet).
    init?(track: TrackInfo) throws(CodecsError) {
        guard track.codec == .h264 else { return nil }
        lengthSize = try AVCDecoderConfigurationRecord(parsing: track.decoderConfig).nalLengthSize
    }

    /// Whether `sample` carries caption bytes on field 1 (CC1, CC2).
    func carriesCaptions(_ sample: Sample) throws(CodecsError) -> Bool {
        try H264Captions.carriesCEA608(sample: sample.data.readableBytesView, lengthSize: lengthSize)
    }
}
