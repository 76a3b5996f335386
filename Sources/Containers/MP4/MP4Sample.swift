/// One sample read from a media segment: its timing, and where its bytes are, so a clip writer
/// can copy them without holding every segment in memory.
public struct MP4Sample: Sendable, Hashable {
    /// Decode time in the track timescale: `tfdt` plus the durations of the samples before it.
    public var decodeTime: Int64
    public var duration: UInt32
    /// Presentation time minus decode time, in the track timescale.
    public var compositionOffset: Int32
    public var size: UInt32
    /// A sync sample (`sample_is_non_sync_sample` clear, §8.8.3.1): decoding can start here.
    public var isSync: Bool
    /// Caller-chosen number of the buffer (segment) holding the bytes.
    public var source: Int
    /// Offset of the first byte from the start of the segment's readable bytes.
    public var offset: Int

    public init(decodeTime: Int64, duration: UInt32, compositionOffset: Int32, size: UInt32, isSync: Bool,
                source: Int, offset: Int) {
        self.decodeTime = decodeTime
        self.duration = duration
        self.compositionOffset = compositionOffset
        self.size = size
        self.isSync = isSync
        self.source = source
        self.offset = offset
    }

    /// Presentation time in the track timescale.
    public var presentationTime: Int64 { decodeTime + Int64(compositionOffset) }
}

/// A run of bytes to copy from one source segment.
public struct MP4SourceRange: Sendable, Hashable {
    /// The caller's number of the segment, as in `MP4Sample.source`.
    public var source: Int
    /// Offset from the start of the segment's readable bytes.
    public var offset: Int
    public var length: Int
    /// Where the bytes go in the output file.
    public var fileOffset: Int64

    public init(source: Int, offset: Int, length: Int, fileOffset: Int64) {
        self.source = source
        self.offset = offset
        self.length = length
        self.fileOffset = fileOffset
    }
}
