import MediaCore
import NIOCore

/// Reads an MPEG-TS byte stream (ISO/IEC 13818-1) back into samples: the transcoder's output
/// (several H.264 renditions and AAC in one program) and, through SRT, encoders such as OBS and
/// hardware boxes.
///
/// It follows the first program of the PAT and the H.264 (0x1B), HEVC (0x24), ADTS AAC (0x0F)
/// and Opus (0x06 with an `Opus` registration descriptor) streams of its PMT, and its SCTE-35
/// cue streams (0x86), whose sections come out as `.spliceInfo`; other stream types are ignored.
/// Every audio stream is kept (an audio programme per language), each with the language of its
/// `ISO_639_language_descriptor` (§2.6.18) in its `TrackInfo.language`. It copes with garbage before the first sync byte, lost sync, null and PCR-only
/// packets, adaptation field stuffing, PSI sections split across packets, continuity errors (the
/// PES in progress is dropped and counted), unbounded video PES and several ADTS frames or Opus
/// access units per PES.
///
/// Configuration: a stream is configured by its first sync sample with SPS and PPS (VPS too for
/// HEVC), its first ADTS header, or its first Opus access unit with the PMT's
/// `opus_audio_descriptor`. Samples of a stream before its own configuration are dropped
/// and counted. Samples of configured streams that arrive while another stream of the program
/// still waits for its configuration are held (up to `TSLimits.maxPendingBytes`) and delivered
/// right after the `.tracks` announcement, so the first key frame is not lost to an audio stream
/// that starts a few milliseconds later.
///
/// Errors: a structural error the caller should know about throws (no sync within
/// `TSLimits.maxSyncSearchBytes`, a PSI section longer than 1021 bytes or with a bad pointer, a PMT
/// over `maxElementaryStreams` streams or with lengths past its end, parameter sets that cannot be
/// parsed, an Opus channel configuration other than 1 to 8 channels of mapping family 0 or 1).
/// Outputs produced before the error are returned by the next `feed` or `flush`, and the demuxer
/// stays usable. A lost or corrupt PES is dropped and counted in `statistics`.
public struct TSDemuxer: Sendable {
    public enum Output: Sendable {
        /// All elementary streams of the (first) program, in PMT order, once every one of them has
        /// its configuration (video: first SPS+PPS seen with a sync sample; AAC: first ADTS header;
        /// Opus: first access unit). Emitted again (whole list) when a stream's configuration
        /// changes or the PMT changes.
        case tracks([TSTrack])
        /// One access unit. `track` indexes the last `.tracks` list.
        case sample(track: Int, Sample)
        /// An SCTE-35 cue from a PMT stream of type 0x86 (ANSI/SCTE 35 2022 §8.1), CRC checked.
        /// `time` is its splice time (``SpliceInfoSection`` `pts_time` + `pts_adjustment`) on the
        /// samples' timeline: unwrapped on the program clock, `timestampOffset` subtracted, 90 kHz;
        /// nil for a splice that happens at once.
        case spliceInfo(SpliceInfoSection, pid: UInt16, time: Int64?)
    }

    let limits: TSLimits
    let timestampOffset: Int64
    var clock: TSTimestampUnwrapper
    public internal(set) var statistics = TSDemuxerStatistics()

    // Sync (§2.4.3.3 sync_byte).
    var locked = false
    var everLocked = false
    var skippedSinceSync = 0

    // Program specific information.
    var patContinuity = ContinuityCounter()
    var patAssembler = PSISectionAssembler()
    var program: ProgramAssociationTable.Program?
    var pmtContinuity = ContinuityCounter()
    var pmtAssembler = PSISectionAssembler()
    var pmt: ProgramMapTable?
    var streams: [TSElementaryStream] = []
    var spliceStreams: [TSSpliceStream] = []

    // Delivery.
    var announced: [TSTrack]?
    /// Samples of configured streams waiting for the other streams' configurations.
    var held: [(pid: UInt16, sample: Sample)] = []
    var heldBytes = 0
    /// Outputs produced before a thrown error, returned by the next call.
    var carried: [Output] = []

    /// timestampOffset: 90 kHz ticks subtracted from every unwrapped timestamp.
    /// expectedStart: the first timestamp seen is unwrapped (33-bit, 13818-1 §2.4.3.7) to the value
    /// congruent mod 2^33 nearest to `expectedStart + timestampOffset`; every later one to the value
    /// nearest to the previous unwrapped timestamp of the program. So output times are continuous
    /// Int64s and may be negative.
    public init(timestampOffset: Int64 = 0, expectedStart: Int64 = 0, limits: TSLimits = TSLimits()) {
        self.limits = limits
        self.timestampOffset = timestampOffset
        self.clock = TSTimestampUnwrapper(reference: expectedStart &+ timestampOffset)
    }

    /// Consumes every complete 188-byte packet in `bytes` and returns the outputs. What remains is
    /// a partial packet or, while looking for sync, the bytes needed to confirm it (three sync
    /// bytes 188 apart). Works with any split of the input, down to one byte at a time.
    public mutating func feed(_ bytes: inout ByteBuffer) throws(ContainersError) -> [Output] {
        var out = carried
        carried = []
        do {
            while let packet = try nextPacket(&bytes) { try handle(packet, into: &out) }
        } catch {
            carried = out
            throw error
        }
        return out
    }

    /// End of stream: completes pending PES packets (an unbounded video PES ends here). Samples
    /// still held for a stream that never got its configuration are dropped and counted. Errors
    /// that `feed` would throw are counted as dropped PES instead.
    public mutating func flush() -> [Output] {
        var out = carried
        carried = []
        for i in streams.indices {
            guard let event = streams[i].pes.finish() else { continue }
            do {
                try handlePES(event, stream: i, into: &out)
            } catch {
                dropPES(error)
            }
        }
        statistics.droppedSamples += held.count
        held = []
        heldBytes = 0
        return out
    }

    /// The next 188-byte packet at the sync byte, or nil when more bytes are needed.
    mutating func nextPacket(_ bytes: inout ByteBuffer) throws(ContainersError) -> [UInt8]? {
        while bytes.readableBytes > 0 {
            if locked {
                guard bytes.readableBytes >= TS.packetSize else { return nil }
                if bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) == TS.syncByte {
                    return bytes.readBytes(length: TS.packetSize)
                }
                locked = false
                statistics.resyncs += 1
                lostSync()
            }
            guard try findSync(&bytes) else { return nil }
        }
        return nil
    }

    /// Skips to a sync byte that is followed by two more 188 bytes apart (or, at the very start of
    /// the stream, to a first byte that is one). Returns false when more bytes are needed.
    private mutating func findSync(_ bytes: inout ByteBuffer) throws(ContainersError) -> Bool {
        while bytes.readableBytes > 0 {
            let view = bytes.readableBytesView
            let start = view.startIndex
            if view[start] == TS.syncByte {
                if !everLocked, skippedSinceSync == 0 {
                    locked = true
                } else {
                    var confirmed = true
                    for k in 1...2 {
                        let i = start + k * TS.packetSize
                        guard i < view.endIndex else { return false }  // wait for the bytes to confirm
                        if view[i] != TS.syncByte {
                            confirmed = false
                            break
                        }
                    }
                    locked = confirmed
                }
                if locked {
                    everLocked = true
                    skippedSinceSync = 0
                    return true
                }
            }
            bytes.moveReaderIndex(forwardBy: 1)
            statistics.bytesSkipped += 1
            skippedSinceSync += 1
            if skippedSinceSync > limits.maxSyncSearchBytes {
                let skipped = skippedSinceSync
                skippedSinceSync = 0
                throw .limitExceeded(what: "MPEG-TS sync search (bytes without a sync byte every 188)", value: skipped,
                                     limit: limits.maxSyncSearchBytes)
            }
        }
        return false
    }

    /// After a loss of sync every partial PES and section is lost.
    private mutating func lostSync() {
        patAssembler.reset()
        pmtAssembler.reset()
        patContinuity.reset()
        pmtContinuity.reset()
        for i in spliceStreams.indices {
            spliceStreams[i].continuity.reset()
            spliceStreams[i].assembler.reset()
        }
        for i in streams.indices {
            streams[i].continuity.reset()
            if streams[i].pes.abort() { dropPES(.invalid(what: streams[i].what, reason: "PES lost with sync")) }
        }
    }
}
