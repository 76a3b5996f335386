import MediaCore
import NIOCore

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

/// Writes single-track fragmented MP4 in the CMAF profile (ISO/IEC 14496-12, ISO/IEC 23000-19):
/// an init segment (`ftyp` + `moov`) and fragments (`moof` + `mdat`).
public enum FMP4Writer {
    /// `ftyp` + `moov` for a single-track CMAF init segment.
    ///
    /// `track.decoderConfig` must be the record the codec's sample entry carries (`avcC`, `hvcC`,
    /// `av1C` payload, AudioSpecificConfig or `dOps` payload); the session that built the
    /// `TrackInfo` validated it.
    public static func initSegment(for track: TrackInfo, trackID: UInt32 = 1) -> ByteBuffer {
        var w = BoxWriter(capacity: 1024 + track.decoderConfig.count)
        writeFileType(&w, track: track)
        writeMovie(&w, track: track, trackID: trackID)
        return w.buffer
    }

    /// `moof` + `mdat` for one CMAF chunk (an LL-HLS part); a segment is its parts concatenated.
    public static func fragment(
        sequenceNumber: UInt32,
        trackID: UInt32 = 1,
        baseMediaDecodeTime: UInt64,
        samples: [FragmentSample]
    ) -> ByteBuffer {
        precondition(!samples.isEmpty, "a fragment holds at least one sample")
        return writeFragment(sequenceNumber: sequenceNumber, trackID: trackID,
                             baseMediaDecodeTime: baseMediaDecodeTime, samples: samples)
    }
}
