import MediaCore
import NIOCore

/// One track of a clip: its description from the init segment and its samples in decode order.
public struct MP4ClipTrack: Sendable {
    public var track: MP4Track
    public var samples: ArraySlice<MP4Sample>

    public init(track: MP4Track, samples: ArraySlice<MP4Sample>) {
        self.track = track
        self.samples = samples
    }

    public init(track: MP4Track, samples: [MP4Sample]) {
        self.init(track: track, samples: samples[...])
    }
}

/// A progressive MP4 file, described rather than assembled: write `header`, then copy each range
/// of `ranges` from its source segment, in order. `ranges[i].fileOffset` and `totalSize` let a
/// caller report progress, or write ranges in parallel at their offsets.
public struct MP4ClipLayout: Sendable {
    /// `ftyp`, `moov` and the `mdat` header: the first `header.readableBytes` bytes of the file.
    public var header: ByteBuffer
    /// The `mdat` payload, as runs of source bytes in file order.
    public var ranges: [MP4SourceRange]
    /// Bytes of sample data (the `mdat` payload).
    public var mediaBytes: Int64
    /// Bytes of the whole file.
    public var totalSize: Int64
    /// Duration of the movie (`mvhd`), from 0 to the end of the last track.
    public var duration: MediaTime

    /// The whole file in memory, from the segments the samples point into, indexed by
    /// `MP4Sample.source`. For small clips and tests; large clips should copy `ranges` to disk.
    public func assembled(sources: [ByteBuffer]) throws(ContainersError) -> ByteBuffer {
        var out = ByteBufferAllocator().buffer(capacity: Int(clamping: totalSize))
        out.writeImmutableBuffer(header)
        for range in ranges {
            guard sources.indices.contains(range.source),
                  let bytes = sources[range.source].getSlice(at: sources[range.source].readerIndex + range.offset, length: range.length)
            else { throw .invalid(what: "clip source \(range.source)", reason: "range \(range.offset)+\(range.length) is outside it") }
            out.writeImmutableBuffer(bytes)
        }
        return out
    }
}

/// Writes a progressive ("faststart") MP4 from samples of archived CMAF segments, without
/// re-encoding (ISO/IEC 14496-12 §8: `ftyp`, `moov` with full sample tables, then one `mdat`).
///
/// Times are rebased so the clip starts at 0: each track's first decode time becomes 0, and the
/// earliest presentation time over all tracks becomes movie time 0. A video track whose first
/// frame is presented after its first decode time (B-frames) gets an edit whose `media_time`
/// skips that delay, and a track that starts later than another gets a leading empty edit. That is
/// the layout ffmpeg's own mp4 muxer writes (ctts version 0 with positive offsets plus `elst`), so
/// ffmpeg-based pipelines, browsers and QuickTime all play it the same way; negative composition
/// offsets (ctts version 1) are avoided because some hardware and older players ignore them.
public enum MP4ClipWriter {
    /// Target duration of one chunk: samples of one track are grouped into chunks of about one
    /// second (or one source segment, when shorter), and chunks of all tracks are interleaved
    /// by time, so a player reading the file front to back never seeks between tracks.
    public static let chunkSeconds: Int64 = 1

    /// Lays out a clip of `tracks` (at most one of each is usual: video and audio). Track IDs
    /// are assigned 1, 2, … in the given order.
    public static func layout(tracks: [MP4ClipTrack]) throws(ContainersError) -> MP4ClipLayout {
        guard !tracks.isEmpty else { throw .invalid(what: "clip", reason: "no track") }
        var plans: [TrackPlan] = []
        plans.reserveCapacity(tracks.count)
        for (i, clip) in tracks.enumerated() {
            plans.append(try TrackPlan(clip, trackID: UInt32(i + 1)))
        }
        let movieTimescale = (plans.first { $0.clip.track.mediaType == .video } ?? plans[0]).clip.track.timescale
        alignTracks(&plans, movieTimescale: movieTimescale)
        var ranges = interleave(&plans)
        let mediaBytes = ranges.last.map { $0.fileOffset + Int64($0.length) } ?? 0
        let movieDuration = plans.map(\.trackDuration).max() ?? 0
        let (header, base) = writeHeader(plans, movieTimescale: movieTimescale, movieDuration: movieDuration, mediaBytes: mediaBytes)
        for i in ranges.indices { ranges[i].fileOffset += base }
        return MP4ClipLayout(header: header, ranges: ranges, mediaBytes: mediaBytes,
                             totalSize: Int64(header.readableBytes) + mediaBytes,
                             duration: MediaTime(ticks: movieDuration, timescale: movieTimescale))
    }
}
