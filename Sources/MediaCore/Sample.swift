import NIOCore

/// One access unit of one track: a video frame or an audio frame.
///
/// Times are integer ticks in the track's timescale. `pts = dts + compositionOffset`; with B-frames
/// the offset is positive on reference frames.
public struct Sample: Sendable {
    public var dts: Int64
    /// `pts - dts`, in the track timescale.
    public var compositionOffset: Int32
    /// A sync sample (IDR / IRAP / key frame). Every audio frame is a sync sample.
    public var isSync: Bool
    /// Video: length-prefixed NAL units (4-byte lengths, the ISO BMFF sample format) or AV1 OBUs.
    /// Audio: one raw frame (AAC without ADTS header, Opus packet).
    public var data: ByteBuffer

    public init(dts: Int64, compositionOffset: Int32 = 0, isSync: Bool, data: ByteBuffer) {
        self.dts = dts
        self.compositionOffset = compositionOffset
        self.isSync = isSync
        self.data = data
    }

    public var pts: Int64 { dts + Int64(compositionOffset) }
}
