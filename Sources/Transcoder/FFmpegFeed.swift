import Containers
import MediaCore
import NIOCore

/// Source samples on their way to a running FFmpeg's stdin as MPEG-TS: the transcoder's and each
/// restream push's. When FFmpeg falls behind and refuses a write, input is dropped up to the next
/// video key frame, so that FFmpeg never decodes a frame whose references it did not get.
public struct FFmpegFeed: Sendable {
    /// What became of one sample.
    public enum Outcome: Sendable {
        case written
        /// Dropped while waiting for a key frame after a refusal; counted at the refusal.
        case skipped
        /// FFmpeg refused it (too far behind): count it; input is dropped up to the next key frame.
        case refused
        /// The muxer could not write it.
        case unmuxable(ContainersError)
    }

    private var muxer: TSMuxer
    private var skipping = false

    public init(tracks: [TrackInfo], timestampOffset: Int64) throws(ContainersError) {
        muxer = try TSMuxer(tracks: tracks, timestampOffset: timestampOffset)
    }

    /// Writes `sample` of muxer track `track` to `process`.
    public mutating func write(_ sample: Sample, track: Int, isVideo: Bool, to process: FFmpegProcess) -> Outcome {
        if skipping {
            guard isVideo, sample.isSync else { return .skipped }
            skipping = false
        }
        var buffer = ByteBuffer()
        do {
            try muxer.write(track: track, sample: sample, into: &buffer)
        } catch {
            return .unmuxable(error)
        }
        guard process.write(buffer) else {
            skipping = true
            return .refused
        }
        return .written
    }
}
