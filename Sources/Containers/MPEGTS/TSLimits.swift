/// Limits on what the MPEG-TS demuxer accepts from its input. Each says where its number comes from.
public struct TSLimits: Sendable, Hashable {
    /// Bytes of one PES packet, header included. `PES_packet_length` is 16 bits, but a video PES may
    /// state 0 (unbounded, ISO/IEC 13818-1 §2.4.3.7) and then ends only at the next payload unit
    /// start. One PES carries one access unit; a 4K intra frame at high quality is a few MB, so
    /// 16 MiB leaves a wide margin while bounding a stream that never starts a new unit.
    public var maxPESSize: Int

    /// Elementary streams in one PMT. The transcoder writes one per rendition plus audio (under
    /// ten); broadcast multiplexes carry a few dozen (video, audio languages, subtitles, data).
    /// §2.4.4.8 bounds the loop only by `section_length` (1021 bytes, about 200 entries).
    public var maxElementaryStreams: Int

    /// Bytes skipped while looking for the sync byte, at the start or after losing sync. A text
    /// banner or a partial first write before the stream is far smaller; a pipe read or an SRT
    /// payload (7 × 188 bytes) is smaller still. Past this the input is not MPEG-TS.
    public var maxSyncSearchBytes: Int

    /// Bytes of samples held back while some stream of the program has no configuration yet (the
    /// first key frame waits for the first audio frame, or the other way round). A second of
    /// a 20 Mbit/s ladder is 2.5 MB; 16 MiB holds several seconds of every rendition.
    public var maxPendingBytes: Int

    /// AAC frames or Opus access units in one PES packet. ffmpeg packs a few (its 2930-byte PES
    /// payload target, and at most 120 ms of Opus: 48 packets of 2.5 ms); hardware encoders go up
    /// to about a second, 47 AAC frames at 48 kHz. 256 is over five seconds of AAC.
    public var maxAudioFramesPerPES: Int

    public init(maxPESSize: Int = 16 << 20, maxElementaryStreams: Int = 32, maxSyncSearchBytes: Int = 65_536,
                maxPendingBytes: Int = 16 << 20, maxAudioFramesPerPES: Int = 256) {
        self.maxPESSize = maxPESSize
        self.maxElementaryStreams = maxElementaryStreams
        self.maxSyncSearchBytes = maxSyncSearchBytes
        self.maxPendingBytes = maxPendingBytes
        self.maxAudioFramesPerPES = maxAudioFramesPerPES
    }

    /// `section_length` of a PAT or PMT "shall not exceed 1021 (0x3FD)" (§2.4.4.3, §2.4.4.8), so a
    /// whole section is at most 1024 bytes. Fixed by the standard, not configurable.
    public static let maxSectionLength = 1021
}

/// Fixed numbers of ISO/IEC 13818-1.
enum TS {
    /// Transport packet size (§2.4.3.2).
    static let packetSize = 188
    /// `sync_byte` (§2.4.3.3).
    static let syncByte: UInt8 = 0x47
    /// Bytes of payload after the 4-byte header when there is no adaptation field.
    static let maxPayload = 184
    /// PID of the program association table (Table 2-3).
    static let patPID: UInt16 = 0x0000
    /// PID of null packets (Table 2-3).
    static let nullPID: UInt16 = 0x1FFF
    /// PES stream_id of the first video and first audio stream (Table 2-22).
    static let videoStreamID: UInt8 = 0xE0
    static let audioStreamID: UInt8 = 0xC0
    /// PES stream_id `private_stream_1` (Table 2-22), which private data such as Opus uses.
    static let privateStream1ID: UInt8 = 0xBD
    /// PTS, DTS and the PCR base count the 90 kHz clock modulo 2^33 (§2.4.3.7, §2.4.3.5).
    static let clockRate: UInt32 = 90_000
    static let timestampModulus: Int64 = 1 << 33
}
