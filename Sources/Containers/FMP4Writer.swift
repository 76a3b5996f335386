import MediaCore
import NIOCore

// Interface placeholder: the fMP4/CMAF writer is being implemented (ISO/IEC 14496-12, ISO/IEC 23000-19).

/// One sample of a fragment, with its duration already known.
public struct FragmentSample: Sendable {
    public var duration: UInt32
    public var compositionOffset: Int32
    public var isSync: Bool
    public var data: ByteBuffer

    public init(duration: UInt32, compositionOffset: Int32, isSync: Bool, data: ByteBuffer) {
        self.duration = duration
        self.compositionOffset = compositionOffset
        self.isSync = isSync
        self.data = data
    }
}

public enum FMP4Writer {
    /// `ftyp` + `moov` for a single-track CMAF init segment.
    public static func initSegment(for track: TrackInfo, trackID: UInt32 = 1) -> ByteBuffer {
        fatalError("FMP4Writer.initSegment is not implemented yet")
    }

    /// `moof` + `mdat` for one CMAF chunk (an LL-HLS part); a segment is its parts concatenated.
    public static func fragment(
        sequenceNumber: UInt32,
        trackID: UInt32 = 1,
        baseMediaDecodeTime: UInt64,
        samples: [FragmentSample]
    ) -> ByteBuffer {
        fatalError("FMP4Writer.fragment is not implemented yet")
    }
}
