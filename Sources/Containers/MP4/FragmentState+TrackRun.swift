import NIOCore

extension FragmentState {
    /// `trun` flags (§8.8.8.1).
    static let dataOffsetPresent: UInt32 = 0x000001
    static let firstSampleFlagsPresent: UInt32 = 0x000004
    static let durationPresent: UInt32 = 0x000100
    static let sizePresent: UInt32 = 0x000200
    static let flagsPresent: UInt32 = 0x000400
    static let compositionOffsetPresent: UInt32 = 0x000800
    /// `sample_is_non_sync_sample` in `sample_flags` (§8.8.3.1).
    static let nonSyncFlag: UInt32 = 0x0001_0000

    /// One `trun` (§8.8.8): appends its samples and returns where its data ends. The data starts
    /// at `base + data_offset`, or right after the previous run's data when there is no offset.
    mutating func readTrackRun(_ body: BoxReader, base: Int, previousEnd: Int, defaults: MP4TrackDefaults,
                               into samples: inout [MP4Sample]) throws(ContainersError) -> Int {
        var r = body
        let (version, flags) = try r.versionAndFlags("trun")
        let count = Int(try r.u32("trun sample_count"))
        guard count <= MP4Limits.samplesPerRun else {
            throw .limitExceeded(what: "trun sample_count", value: count, limit: MP4Limits.samplesPerRun)
        }
        let total = samples.count - firstNew + count
        guard total <= MP4Limits.samplesPerSegment else {
            throw .limitExceeded(what: "samples in a segment", value: total, limit: MP4Limits.samplesPerSegment)
        }
        var start = previousEnd
        if flags & Self.dataOffsetPresent != 0 {
            start = base + Int(Int32(bitPattern: try r.u32("trun data_offset")))
        }
        let firstFlags = flags & Self.firstSampleFlagsPresent != 0 ? try r.u32("trun first_sample_flags") : nil
        let hasDuration = flags & Self.durationPresent != 0, hasSize = flags & Self.sizePresent != 0
        let hasFlags = flags & Self.flagsPresent != 0, hasOffset = flags & Self.compositionOffsetPresent != 0
        let entrySize = 4 * ([hasDuration, hasSize, hasFlags, hasOffset].filter { $0 }.count)
        guard count * entrySize <= r.remaining else {
            throw .truncated(what: "trun sample table", needed: count * entrySize, available: r.remaining)
        }
        guard var time = decodeTime else { throw .invalid(what: "traf", reason: "no tfdt before the first trun") }
        // Every duration is at most UInt32.max, so this bound keeps the running time from overflowing.
        guard time <= Int64.max - Int64(count) * Int64(UInt32.max) else {
            throw .invalid(what: "tfdt", reason: "decode time \(time) overflows with \(count) samples")
        }
        guard start >= segment.readerIndex, start <= segment.writerIndex else {
            throw .invalid(what: "trun", reason: "data offset points outside the segment")
        }

        samples.reserveCapacity(samples.count + count)
        var position = start
        var badOffset: UInt32?
        let tableStart = r.position - segment.readerIndex
        segment.withUnsafeReadableBytes { raw in
            var at = tableStart
            func next() -> UInt32 {
                defer { at += 4 }
                return UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))
            }
            for i in 0..<count {
                let duration = hasDuration ? next() : defaults.sampleDuration
                let size = hasSize ? next() : defaults.sampleSize
                let sampleFlags = hasFlags ? next() : (i == 0 ? firstFlags ?? defaults.sampleFlags : defaults.sampleFlags)
                var offset: Int32 = 0
                if hasOffset {
                    let raw = next()
                    // Version 0 offsets are unsigned; version 1 offsets are signed (§8.8.8.2).
                    if version == 0, raw > UInt32(Int32.max) { badOffset = raw }
                    offset = Int32(bitPattern: raw)
                }
                samples.append(MP4Sample(decodeTime: time, duration: duration, compositionOffset: offset, size: size,
                                         isSync: sampleFlags & Self.nonSyncFlag == 0,
                                         source: source, offset: position - segment.readerIndex))
                time += Int64(duration)
                position += Int(size)
            }
        }
        if let badOffset { throw .invalid(what: "trun", reason: "version 0 composition offset \(badOffset)") }
        guard position <= segment.writerIndex else {
            throw .truncated(what: "trun sample data", needed: position - start, available: segment.writerIndex - start)
        }
        decodeTime = time
        runs.append(start..<position)
        return position
    }
}
