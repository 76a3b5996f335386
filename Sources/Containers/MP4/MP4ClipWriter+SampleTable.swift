extension MP4ClipWriter {
    /// `stbl` (§8.5.1): the copied sample entry, then timing, sync, size, chunk and offset tables,
    /// each run-length coded where the format allows. Returns the buffer index of the first chunk
    /// offset, written as 0 here.
    static func writeSampleTable(_ w: inout BoxWriter, _ plan: TrackPlan, wideOffsets: Bool) -> Int {
        let samples = plan.clip.samples
        var offsetTable = 0
        w.box("stbl") { w in
            w.fullBox("stsd") { w in  // §8.5.2
                w.u32(1)
                w.bytes(plan.clip.track.sampleEntry)
            }
            // stts (§8.6.1.2): runs of equal durations.
            writeRuns(&w, "stts", version: 0, plan.durations)
            // ctts (§8.6.1.3), version 0: offsets are shifted to be non-negative.
            if samples.contains(where: { Int64($0.compositionOffset) + plan.offsetShift != 0 }) {
                writeRuns(&w, "ctts", version: 0, samples.lazy.map { UInt32(Int64($0.compositionOffset) + plan.offsetShift) })
            }
            // stss (§8.6.2): absent means every sample is a sync sample.
            let syncCount = samples.reduce(0) { $0 + ($1.isSync ? 1 : 0) }
            if syncCount != samples.count {
                w.fullBox("stss") { w in
                    w.u32(UInt32(syncCount))
                    for (i, sample) in zip(1..., samples) where sample.isSync { w.u32(UInt32(i)) }
                }
            }
            // stsc (§8.7.4): runs of chunks with the same sample count; one sample description.
            w.fullBox("stsc") { w in
                let countAt = w.buffer.writerIndex
                w.u32(0)
                var entries: UInt32 = 0
                var previous = -1
                for (i, chunk) in zip(1..., plan.chunks) where chunk.count != previous {
                    w.u32(UInt32(i))
                    w.u32(UInt32(chunk.count))
                    w.u32(1)
                    entries += 1
                    previous = chunk.count
                }
                w.buffer.setInteger(entries, at: countAt)
            }
            // stsz (§8.7.3.2): one size for all samples when they are equal.
            w.fullBox("stsz") { w in
                let size = samples.first?.size ?? 0
                if samples.allSatisfy({ $0.size == size }) {
                    w.u32(size)
                    w.u32(UInt32(samples.count))
                } else {
                    w.u32(0)
                    w.u32(UInt32(samples.count))
                    for sample in samples { w.u32(sample.size) }
                }
            }
            // stco or co64 (§8.7.5): offsets patched by the caller.
            w.fullBox(wideOffsets ? "co64" : "stco") { w in
                w.u32(UInt32(plan.chunks.count))
                offsetTable = w.buffer.writerIndex
                w.zeros(plan.chunks.count * (wideOffsets ? 8 : 4))
            }
        }
        return offsetTable
    }

    /// A table of (sample_count, value) runs, as `stts` and `ctts` hold.
    static func writeRuns<S: Sequence>(_ w: inout BoxWriter, _ type: String, version: UInt8, _ values: S) where S.Element == UInt32 {
        w.fullBox(type, version: version) { w in
            let countAt = w.buffer.writerIndex
            w.u32(0)
            var entries: UInt32 = 0
            var run: (count: UInt32, value: UInt32)?
            for value in values {
                if let current = run, current.value == value {
                    run = (current.count + 1, value)
                    continue
                }
                if let current = run {
                    w.u32(current.count)
                    w.u32(current.value)
                    entries += 1
                }
                run = (1, value)
            }
            if let current = run {
                w.u32(current.count)
                w.u32(current.value)
                entries += 1
            }
            w.buffer.setInteger(entries, at: countAt)
        }
    }
}
