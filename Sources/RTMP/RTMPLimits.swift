/// Bounds on everything the chunk stream decoder reads off the wire. Breaking one is an
/// ``RTMPError`` and closes the connection.
public struct RTMPLimits: Sendable, Hashable {
    /// Largest inbound chunk size a peer may set with Set Chunk Size (RTMP spec §5.4.1).
    ///
    /// The spec allows up to 2^31-1. Encoders in the field use 128 (the default), 4 096 (OBS,
    /// librtmp, ffmpeg) and 60 000-65 536 (Wirecast, some hardware encoders). A whole chunk is
    /// buffered before it is parsed, so 1 MiB, 16x the largest value seen in practice, bounds
    /// that buffer while leaving room for unusual encoders.
    public var maximumChunkSize: Int = 1 << 20

    /// Largest message a peer may announce in a chunk message header (RTMP spec §5.3.1.2.1,
    /// a 24-bit field, so at most 16 MiB - 1 on the wire).
    ///
    /// 8 MiB holds an intra-only 4K HEVC key frame at 100 Mbit/s (about 4 MB) with margin;
    /// nothing a live encoder sends comes close, and it keeps a hostile header from making us
    /// accumulate up to 16 MiB per chunk stream.
    public var maximumMessageLength: Int = 8 << 20

    /// Most chunk streams a peer may have open at once (RTMP spec §5.3.1.1 allows 65 597).
    ///
    /// Real encoders use 2 (protocol control), 3 (commands) and 4-8 (audio, video, data):
    /// 64 is far above that and keeps per-connection state small.
    public var maximumChunkStreams: Int = 64

    /// Total bytes of partially received messages across all chunk streams.
    ///
    /// Interleaving lets a peer start a maximum-length message on every chunk stream; this caps
    /// that at four maximum messages (32 MiB), more than audio, video and data ever need at once.
    public var maximumBufferedBytes: Int = 32 << 20

    public init() {}

    /// The limits Antenne uses by default.
    public static let `default` = RTMPLimits()
}

/// Bounds on AMF0 decoding (AMF0 spec §2), applied per message.
public struct AMF0Limits: Sendable, Hashable {
    /// Deepest nesting of objects, ECMA arrays and strict arrays.
    ///
    /// Commands and `onMetaData` from real encoders nest at most 3 levels (OBS's
    /// `fourCcList` in an Enhanced RTMP connect object); 32 is generous and keeps recursion shallow.
    public var maximumDepth: Int = 32

    /// Most values (scalars, properties and containers) decoded from one message.
    ///
    /// An `onMetaData` from ffmpeg or OBS holds about 20 properties; 4 096 leaves room for
    /// verbose encoders while bounding the work a small hostile message can cause
    /// (a 1-byte `null` marker would otherwise cost a value per byte).
    public var maximumValueCount: Int = 4096

    public init() {}

    public static let `default` = AMF0Limits()
}
