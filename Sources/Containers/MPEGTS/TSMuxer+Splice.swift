import NIOCore

extension TSMuxer {
    /// Appends an SCTE-35 cue to `out` on the program's SCTE-35 stream, as a PSI section
    /// (ANSI/SCTE 35 2022 §8.1, ISO/IEC 13818-1 §2.4.4). Its times are on the tracks' 90 kHz
    /// timeline: `timestampOffset` is added to its `pts_adjustment` (mod 2^33), as it is to every
    /// PTS. Throws when the muxer was made without `cues`.
    public mutating func write(splice: SpliceInfoSection, into out: inout ByteBuffer) throws(ContainersError) {
        guard let pid = splicePID else { throw .invalid(what: "TS muxer", reason: "no SCTE-35 stream (cues: false)") }
        var cue = splice
        cue.ptsAdjustment = (cue.ptsAdjustment &+ TSTime.wrap(timestampOffset)) & SpliceInfoSection.ptsMask
        TSPacketWriter.writeSection(cue.encoded(), pid: pid, continuityCounter: &spliceContinuityCounter, into: &out)
    }
}
