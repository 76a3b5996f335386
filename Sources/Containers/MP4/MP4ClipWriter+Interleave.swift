import MediaCore

extension MP4ClipWriter {
    /// Places every track on the movie timeline: the earliest presentation over all tracks is
    /// movie time 0, and a track that starts later gets a leading empty edit of the difference.
    static func alignTracks(_ plans: inout [TrackPlan], movieTimescale: UInt32) {
        guard let zero = plans.map(\.sourcePresentationStart).min() else { return }
        let zeroTicks = MediaTime.rescale(zero.ticks, from: zero.timescale, to: movieTimescale)
        for i in plans.indices {
            let start = plans[i].sourcePresentationStart
            plans[i].delay = max(0, MediaTime.rescale(start.ticks, from: start.timescale, to: movieTimescale) - zeroTicks)
            plans[i].span = MediaTime.rescale(plans[i].presentationEnd - plans[i].presentationStart,
                                              from: plans[i].timescale, to: movieTimescale)
        }
    }

    /// Orders the chunks of all tracks by their start time on the source clock (ties: track
    /// order), sets each chunk's offset in the `mdat` payload and returns the byte ranges to copy,
    /// with `fileOffset` relative to the payload start. Adjacent source bytes merge into one range.
    static func interleave(_ plans: inout [TrackPlan]) -> [MP4SourceRange] {
        var order: [(track: Int, chunk: Int, start: MediaTime)] = []
        order.reserveCapacity(plans.reduce(0) { $0 + $1.chunks.count })
        for (t, plan) in plans.enumerated() {
            for (c, chunk) in plan.chunks.enumerated() {
                order.append((t, c, MediaTime(ticks: chunk.startTime, timescale: plan.timescale)))
            }
        }
        order.sort { a, b in
            if a.start < b.start { return true }
            if b.start < a.start { return false }
            return (a.track, a.chunk) < (b.track, b.chunk)  // equal times, whatever their timescales
        }

        var ranges: [MP4SourceRange] = []
        ranges.reserveCapacity(order.count * 2)
        var position = Int64(0)
        for entry in order {
            plans[entry.track].chunks[entry.chunk].offset = position
            let chunk = plans[entry.track].chunks[entry.chunk]
            let samples = plans[entry.track].clip.samples
            let first = samples.startIndex + chunk.firstSample
            for sample in samples[first..<first + chunk.count] {
                let length = Int(sample.size)
                if let last = ranges.last, last.source == sample.source, last.offset + last.length == sample.offset,
                   last.fileOffset + Int64(last.length) == position {
                    ranges[ranges.count - 1].length += length
                } else if length > 0 {
                    ranges.append(MP4SourceRange(source: sample.source, offset: sample.offset, length: length, fileOffset: position))
                }
                position += Int64(length)
            }
        }
        return ranges
    }
}
