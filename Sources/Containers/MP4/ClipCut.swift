import MediaCore

/// Chooses which samples of a video and an audio track make a clip of a requested range, so
/// the clip can be remuxed without re-encoding.
public enum ClipCut {
    /// The chosen samples, as index ranges of the arrays given.
    public struct Selection: Sendable, Hashable {
        public var video: Range<Int>
        public var audio: Range<Int>
    }

    /// Video: from the last sync sample presented at or before `start` up to, not including, the
    /// first sync sample presented at or after `end`, so the clip starts on a key frame and holds
    /// whole GOPs. Audio: the frames that start inside the video's presentation interval. Audio
    /// therefore begins at most one audio frame after the picture (21 ms for AAC at 48 kHz) and the
    /// writer gives it a short empty edit, rather than making the video wait with an empty edit
    /// of its own, which some players and upload pipelines ignore.
    ///
    /// `start` and `end` are on the clock of the samples' decode times, in any timescale. With
    /// no sync sample at or before `start`, the clip starts at the first sync sample. Decode times
    /// must increase within each track, as they do in a rendition's segments.
    public static func select(video: ArraySlice<MP4Sample>, videoTimescale: UInt32,
                              audio: ArraySlice<MP4Sample>, audioTimescale: UInt32,
                              start: MediaTime, end: MediaTime) -> Selection {
        let empty = Selection(video: video.startIndex..<video.startIndex, audio: audio.startIndex..<audio.startIndex)
        guard videoTimescale > 0, audioTimescale > 0 else { return empty }
        func pts(_ s: MP4Sample) -> MediaTime { MediaTime(ticks: s.presentationTime, timescale: videoTimescale) }
        var first: Int?
        for i in video.indices where video[i].isSync {
            if first == nil || !(start < pts(video[i])) { first = i }
            if start < pts(video[i]) { break }
        }
        guard let first else { return empty }
        var last = video.endIndex
        for i in (first + 1)..<video.endIndex where video[i].isSync && !(pts(video[i]) < end) {
            last = i
            break
        }
        let chosen = video[first..<last]
        let from = chosen.lazy.map(\.presentationTime).min() ?? 0
        let to = chosen.lazy.map { $0.presentationTime + Int64($0.duration) }.max() ?? 0
        let interval = (MediaTime(ticks: from, timescale: videoTimescale), MediaTime(ticks: to, timescale: videoTimescale))
        return Selection(video: first..<last, audio: startingWithin(audio, timescale: audioTimescale, interval.0, interval.1))
    }

    /// Audio only: the frames that overlap `[start, end)` (decode time is presentation time).
    public static func selectAudio(_ audio: ArraySlice<MP4Sample>, timescale: UInt32, start: MediaTime, end: MediaTime) -> Range<Int> {
        guard timescale > 0 else { return audio.startIndex..<audio.startIndex }
        let lower = partition(audio) { start < MediaTime(ticks: $0.decodeTime + Int64($0.duration), timescale: timescale) }
        let upper = partition(audio) { !(MediaTime(ticks: $0.decodeTime, timescale: timescale) < end) }
        return lower..<max(lower, upper)
    }

    /// The audio frames whose decode time lies in `[from, to)`.
    static func startingWithin(_ audio: ArraySlice<MP4Sample>, timescale: UInt32, _ from: MediaTime, _ to: MediaTime) -> Range<Int> {
        let lower = partition(audio) { !(MediaTime(ticks: $0.decodeTime, timescale: timescale) < from) }
        let upper = partition(audio) { !(MediaTime(ticks: $0.decodeTime, timescale: timescale) < to) }
        return lower..<max(lower, upper)
    }

    /// The first index whose sample satisfies `isAfter`, for a predicate that is false then true
    /// along the slice (binary search).
    static func partition(_ samples: ArraySlice<MP4Sample>, _ isAfter: (MP4Sample) -> Bool) -> Int {
        var low = samples.startIndex, high = samples.endIndex
        while low < high {
            let mid = low + (high - low) / 2
            if isAfter(samples[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
