import MediaCore

/// One track of a clip being laid out: its rebased timing, its chunks and their offsets.
struct TrackPlan {
    /// One chunk (§8.7.4): consecutive samples stored contiguously in the file.
    struct Chunk {
        var firstSample: Int
        var count: Int
        var bytes: Int64
        /// Decode time of its first sample on the source clock, in the track timescale.
        var startTime: Int64
        /// Offset from the start of the `mdat` payload, set by the interleaver.
        var offset: Int64 = 0
    }

    let clip: MP4ClipTrack
    let trackID: UInt32
    /// Per-sample durations for `stts`: the distance to the next sample's decode time, so gaps
    /// between source fragments keep their place; the sample's own duration for the last one, or
    /// when decode times do not increase (a splice).
    var durations: [UInt32] = []
    /// Added to every composition offset so none is negative (`ctts` version 0, §8.6.1.3).
    var offsetShift: Int64 = 0
    /// Sum of durations: the `mdhd` duration.
    var mediaDuration: Int64 = 0
    /// Earliest presentation time in the rebased media timeline: the edit's `media_time`.
    var presentationStart: Int64 = 0
    /// End of the last presented sample in the rebased media timeline.
    var presentationEnd: Int64 = 0
    /// `presentationStart` on the source clock, to align tracks with each other.
    var sourcePresentationStart: MediaTime
    var chunks: [Chunk] = []
    /// Leading empty edit, in the movie timescale (0: none).
    var delay: Int64 = 0
    /// Length of the presented edit, in the movie timescale.
    var span: Int64 = 0

    /// Largest decode time accepted: 2^62 ticks (over 1.6 million years at 90 kHz), so times
    /// plus durations and offsets stay far from `Int64.max`.
    static let maxDecodeTime: Int64 = 1 << 62

    var trackDuration: Int64 { delay + span }
    var timescale: UInt32 { clip.track.timescale }

    init(_ clip: MP4ClipTrack, trackID: UInt32) throws(ContainersError) {
        let samples = clip.samples
        let what = "clip track \(trackID)"
        guard let first = samples.first else { throw .invalid(what: what, reason: "no sample") }
        guard clip.track.timescale > 0 else { throw .invalid(what: what, reason: "timescale 0") }
        // stsz sample_count and stts sample_count are 32-bit (§8.7.3.2, §8.6.1.2).
        guard samples.count <= Int(UInt32.max) else {
            throw .limitExceeded(what: "\(what) samples", value: samples.count, limit: Int(UInt32.max))
        }
        // Times come from tfdt plus durations; bounding them keeps every sum below overflow.
        guard samples.allSatisfy({ (0...Self.maxDecodeTime).contains($0.decodeTime) }) else {
            throw .invalid(what: what, reason: "decode times outside 0...\(Self.maxDecodeTime)")
        }
        self.clip = clip
        self.trackID = trackID
        sourcePresentationStart = MediaTime(ticks: first.decodeTime, timescale: clip.track.timescale)

        durations.reserveCapacity(samples.count)
        var minOffset = Int64(0)
        var previous = first
        for sample in samples.dropFirst() {
            let gap = sample.decodeTime - previous.decodeTime
            durations.append(gap > 0 && gap <= Int64(UInt32.max) ? UInt32(gap) : previous.duration)
            minOffset = min(minOffset, Int64(previous.compositionOffset))
            previous = sample
        }
        durations.append(previous.duration)
        minOffset = min(minOffset, Int64(previous.compositionOffset))
        offsetShift = -minOffset

        var decode = Int64(0)
        var start = Int64.max, end = Int64.min
        for (sample, duration) in zip(samples, durations) {
            let pts = decode + Int64(sample.compositionOffset) + offsetShift
            start = min(start, pts)
            end = max(end, pts + Int64(duration))
            decode += Int64(duration)
        }
        mediaDuration = decode
        presentationStart = start
        presentationEnd = end
        sourcePresentationStart.ticks = first.decodeTime + start - offsetShift
        chunks = Self.chunks(samples, timescale: Int64(clip.track.timescale))
    }

    /// Groups samples into chunks of at most `MP4ClipWriter.chunkSeconds` that never span two
    /// source segments.
    static func chunks(_ samples: ArraySlice<MP4Sample>, timescale: Int64) -> [Chunk] {
        let limit = MP4ClipWriter.chunkSeconds * timescale
        var chunks: [Chunk] = []
        var current: Chunk?
        var source = -1
        for (i, sample) in zip(0..., samples) {
            if var chunk = current, sample.source == source,
               sample.decodeTime >= chunk.startTime, sample.decodeTime - chunk.startTime < limit {
                chunk.count += 1
                chunk.bytes += Int64(sample.size)
                current = chunk
                continue
            }
            if let chunk = current { chunks.append(chunk) }
            current = Chunk(firstSample: i, count: 1, bytes: Int64(sample.size), startTime: sample.decodeTime)
            source = sample.source
        }
        if let chunk = current { chunks.append(chunk) }
        return chunks
    }
}
