/// What the demuxer has seen and thrown away. Counters only grow.
public struct TSDemuxerStatistics: Sendable, Hashable {
    /// Complete 188-byte packets consumed.
    public var packets = 0
    /// Bytes skipped while looking for the sync byte (garbage, lost sync).
    public var bytesSkipped = 0
    /// Times sync was lost after having been found.
    public var resyncs = 0
    /// Null packets (PID 0x1FFF) skipped.
    public var nullPackets = 0
    /// Packets with `transport_error_indicator` set, skipped.
    public var transportErrors = 0
    /// Packets whose header or adaptation field is inconsistent, skipped.
    public var malformedPackets = 0
    /// Packets with a scrambled payload, skipped.
    public var scrambledPackets = 0
    /// Continuity counter jumps on a PID the demuxer follows (§2.4.3.3).
    public var continuityErrors = 0
    /// Repeated packets (same continuity counter) skipped.
    public var duplicatePackets = 0
    /// PAT or PMT sections with a bad CRC_32, ignored.
    public var psiErrors = 0
    /// PES packets lost: continuity errors, bad start code or header, truncated, over the size limit,
    /// undecodable payload.
    public var droppedPES = 0
    /// Access units decoded but not delivered: before their stream's configuration, or held for
    /// another stream's configuration beyond the pending limit.
    public var droppedSamples = 0
    /// Samples delivered.
    public var samples = 0
    /// SCTE-35 splice_info_sections delivered.
    public var spliceSections = 0
    /// SCTE-35 sections dropped: bad CRC, truncated, encrypted, over the size limit, not a
    /// splice_info_section, or lost to a continuity error.
    public var invalidSpliceSections = 0
    /// Why the last PES or sample was dropped.
    public var lastDropReason: ContainersError?

    public init() {}
}
