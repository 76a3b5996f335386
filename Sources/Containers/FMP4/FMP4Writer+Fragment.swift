import NIOCore

extension FMP4Writer {
    /// `sample_flags` (ISO/IEC 14496-12 §8.8.3.1): a sync sample depends on no other
    /// (`sample_depends_on` = 2); any other sample depends on others (1) and is a non-sync sample.
    public static let syncSampleFlags: UInt32 = 0x0200_0000
    public static let nonSyncSampleFlags: UInt32 = 0x0101_0000

    /// `tfhd` flag default-base-is-moof (§8.8.7.1): data offsets count from the `moof` start.
    static let defaultBaseIsMoof: UInt32 = 0x02_0000
    /// `trun` flags (§8.8.8.1): data-offset, sample-duration, -size, -flags, -composition-time-offset.
    static let trunFlags: UInt32 = 0x000001 | 0x000100 | 0x000200 | 0x000400 | 0x000800

    static func writeFragment(sequenceNumber: UInt32, trackID: UInt32, baseMediaDecodeTime: UInt64,
                              samples: [FragmentSample]) -> ByteBuffer {
        let payload = samples.reduce(0) { $0 + $1.data.readableBytes }
        var w = BoxWriter(capacity: 128 + 16 * samples.count + payload)
        var dataOffsetIndex = 0
        w.box("moof") { w in
            w.fullBox("mfhd") { w in w.u32(sequenceNumber) }  // §8.8.5
            w.box("traf") { w in
                w.fullBox("tfhd", flags: defaultBaseIsMoof) { w in w.u32(trackID) }
                w.fullBox("tfdt", version: 1) { w in w.u64(baseMediaDecodeTime) }  // §8.8.12
                // Version 1: composition offsets are signed (§8.8.8.2).
                w.fullBox("trun", version: 1, flags: trunFlags) { w in
                    w.u32(UInt32(samples.count))
                    dataOffsetIndex = w.buffer.writerIndex
                    w.i32(0)  // data_offset, patched below
                    for s in samples {
                        w.u32(s.duration)
                        w.u32(UInt32(s.data.readableBytes))
                        w.u32(s.isSync ? syncSampleFlags : nonSyncSampleFlags)
                        w.i32(s.compositionOffset)
                    }
                }
            }
        }
        let moofSize = w.buffer.writerIndex
        // The first sample starts after the moof and the 8-byte mdat header.
        w.buffer.setInteger(Int32(moofSize + 8), at: dataOffsetIndex)
        w.box("mdat") { w in
            for s in samples { w.buffer.writeImmutableBuffer(s.data) }
        }
        return w.buffer
    }
}
