import MediaCore

/// One elementary stream the demuxer delivers: its PID and its configuration.
///
/// `info.timescale` is 90 000 for video and the sample rate for audio; the codec string, picture
/// size and frame rate come from the in-band SPS (VUI timing) and the audio parameters from the
/// ADTS header or the Opus descriptor, built the same way as for FLV ingest (`TrackInfo.h264`,
/// `.hevc`, `.aac`, `.opus`).
public struct TSTrack: Sendable, Hashable {
    public var pid: UInt16
    public var info: TrackInfo

    public init(pid: UInt16, info: TrackInfo) {
        self.pid = pid
        self.info = info
    }
}
