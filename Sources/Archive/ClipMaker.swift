import Containers
import MediaCore
import NIOConcurrencyHelpers
import NIOCore

/// Cuts a clip out of a channel's archive: the segments of one video rendition and of the audio
/// that overlap the range are read back, cut on key frames (``ClipCut``) and remuxed into one
/// faststart MP4 (``MP4ClipWriter``), stored at ``key(channel:id:)``. Nothing is re-encoded.
public struct ClipMaker: Sendable {
    private let reader: ArchiveReader
    private let store: any ArchiveStore

    /// Segments read from the store at once.
    static let concurrentReads = 8
    /// Longest clip cut: three hours (the control plane's limit too).
    public static let maximumMilliseconds: Int64 = 3 * 3_600_000

    public init(reader: ArchiveReader, store: any ArchiveStore) {
        self.reader = reader
        self.store = store
    }

    /// Where a channel's clip is stored: `{channel}/Clips/{id}.mp4`. Rendition names are lower
    /// case, so `Clips` is never a rendition's directory.
    public static func key(channel: String, id: String) throws(ArchiveError) -> ArchiveKey {
        try ArchiveKey(components: [channel, directory, id + ".mp4"])
    }

    /// The directory of a channel's clips.
    public static let directory = "Clips"

    /// What a finished clip is.
    public struct Result: Sendable, Hashable {
        public var size: Int64
        public var video: String?
        public var audio: String?
        /// Media duration of the clip.
        public var milliseconds: Int64
    }

    /// Makes clip `id` of `channel` for Unix ms `start..<end`, from `rendition` (or the largest
    /// video rendition) and the audio. `progress` hears of the reading (0 to 0.9) and the writing.
    public func make(
        id: String, channel: String, rendition: String?, start: Int64, end: Int64,
        progress: @escaping @Sendable (Double) async -> Void = { _ in }
    ) async throws(ArchiveError) -> Result {
        guard start < end, end - start <= Self.maximumMilliseconds else { throw .malformed("a clip of \(end - start) ms") }
        let key = try Self.key(channel: channel, id: id)
        let (video, audio) = try await choose(channel: channel, rendition: rendition, start: start, end: end)
        guard video != nil || audio != nil else { throw .malformed("nothing archived between \(start) and \(end)") }
        let total = Double((video?.records.count ?? 0) + (audio?.records.count ?? 0))
        let done = NIOLockedValueBox(0)
        let step: @Sendable () async -> Void = {
            let count = done.withLockedValue { $0 += 1; return $0 }
            if count % 20 == 0 { await progress(0.9 * Double(count) / total) }
        }
        var sources: [ByteBuffer] = []
        var tracks: [MP4ClipTrack] = []
        var videoSamples: [MP4Sample] = [], audioSamples: [MP4Sample] = []
        var videoTrack: MP4Track?, audioTrack: MP4Track?
        if let video {
            (videoTrack, videoSamples) = try await read(video, channel: channel, into: &sources, step: step)
        }
        if let audio {
            (audioTrack, audioSamples) = try await read(audio, channel: channel, into: &sources, step: step)
        }
        // The range on each track's media clock, from the segments' wall-clock times.
        func mediaTime(_ unixMilliseconds: Int64, in records: [SegmentRecord]) -> MediaTime {
            let record = records.last { $0.programDateTime <= unixMilliseconds } ?? records[0]
            let ticks = record.startDTS + (unixMilliseconds - record.programDateTime) * Int64(record.timescale) / 1000
            return MediaTime(ticks: ticks, timescale: record.timescale)
        }
        if let videoTrack, let video {
            let selection = ClipCut.select(
                video: videoSamples[...], videoTimescale: videoTrack.timescale,
                audio: audioSamples[...], audioTimescale: audioTrack?.timescale ?? 1,
                start: mediaTime(start, in: video.records), end: mediaTime(end, in: video.records))
            guard !selection.video.isEmpty else { throw .malformed("no key frame in the range") }
            tracks.append(MP4ClipTrack(track: videoTrack, samples: videoSamples[selection.video]))
            if let audioTrack, !selection.audio.isEmpty {
                tracks.append(MP4ClipTrack(track: audioTrack, samples: audioSamples[selection.audio]))
            }
        } else if let audioTrack, let audio {
            let range = ClipCut.selectAudio(
                audioSamples[...], timescale: audioTrack.timescale,
                start: mediaTime(start, in: audio.records), end: mediaTime(end, in: audio.records))
            tracks.append(MP4ClipTrack(track: audioTrack, samples: audioSamples[range]))
        }
        let layout: MP4ClipLayout
        do {
            layout = try MP4ClipWriter.layout(tracks: tracks)
        } catch {
            throw .malformed("clip \(id): \(error)")
        }
        // The header, then slices of the segments: written without assembling the file.
        var parts = [layout.header]
        parts.reserveCapacity(layout.ranges.count + 1)
        for range in layout.ranges {
            guard sources.indices.contains(range.source),
                  let slice = sources[range.source].getSlice(at: sources[range.source].readerIndex + range.offset, length: range.length)
            else { throw .malformed("clip \(id): a sample range outside its segment") }
            parts.append(slice)
        }
        await progress(0.95)
        try await store.put(key, parts: parts)
        return Result(size: layout.totalSize, video: video?.name, audio: audio?.name, milliseconds: layout.duration.milliseconds)
    }

    struct Selected {
        var name: String
        var records: [SegmentRecord]
    }

    /// The video rendition (the one asked for, or the largest) and the audio rendition with
    /// segments in the range. Only the segments of the first session's init segment are used:
    /// a codec change mid-range ends the clip there.
    private func choose(channel: String, rendition: String?, start: Int64, end: Int64) async throws(ArchiveError) -> (Selected?, Selected?) {
        var video: (Selected, Int)?
        var audio: Selected?
        for name in try await reader.renditions(channel: channel) {
            var records = try await reader.records(channel: channel, rendition: name, from: start - 60_000, to: end)
                .filter { $0.programDateTime + $0.durationMilliseconds > start && !$0.gap }
            guard let first = records.first,
                  let descriptor = try await reader.descriptor(channel: channel, rendition: name, id: first.initID)
            else { continue }
            if let change = records.firstIndex(where: { $0.initID != first.initID }) { records.removeSubrange(change...) }
            let selected = Selected(name: name, records: records)
            switch descriptor.mediaType {
            case .video:
                if let rendition, rendition != name { continue }
                let area = (descriptor.width ?? 0) * (descriptor.height ?? 0)
                if video == nil || area > video!.1 { video = (selected, area) }
            case .audio:
                if audio == nil || name == "audio" { audio = selected }
            }
        }
        if let rendition, video == nil, audio?.name != rendition { throw .malformed("no rendition '\(rendition)' in the range") }
        return (video?.0, audio)
    }

    /// Reads a rendition's init segment and segments, appending the segments to `sources` and
    /// returning the track and its samples (pointing into `sources`).
    private func read(
        _ selected: Selected, channel: String, into sources: inout [ByteBuffer], step: @escaping @Sendable () async -> Void
    ) async throws(ArchiveError) -> (MP4Track, [MP4Sample]) {
        guard let initSegment = try await reader.initSegment(channel: channel, rendition: selected.name, id: selected.records[0].initID) else {
            throw .malformed("the init segment of \(selected.name) is missing")
        }
        let track: MP4Track
        do {
            track = try FMP4Reader.track(initSegment: initSegment)
        } catch {
            throw .malformed("init segment of \(selected.name): \(error)")
        }
        let buffers = try await fetch(selected.records, step: step)
        var samples: [MP4Sample] = []
        samples.reserveCapacity(selected.records.count * 64)
        for buffer in buffers {
            do {
                try FMP4Reader.appendSamples(inSegment: buffer, track: track, source: sources.count, to: &samples)
            } catch {
                throw .malformed("a segment of \(selected.name): \(error)")
            }
            sources.append(buffer)
        }
        return (track, samples)
    }

    /// The records' bytes, in order, a few reads at a time.
    private func fetch(_ records: [SegmentRecord], step: @escaping @Sendable () async -> Void) async throws(ArchiveError) -> [ByteBuffer] {
        let store = self.store
        var buffers = [ByteBuffer?](repeating: nil, count: records.count)
        let result: Swift.Result<Void, ArchiveError> = await withTaskGroup(of: (Int, Swift.Result<ByteBuffer?, ArchiveError>).self) { group in
            var next = 0
            func add() {
                guard next < records.count else { return }
                let index = next
                let record = records[index]
                next += 1
                group.addTask {
                    do throws(ArchiveError) {
                        let data = try await store.get(try record.key)
                        await step()
                        return (index, .success(data))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for _ in 0..<Self.concurrentReads { add() }
            while let (index, outcome) = await group.next() {
                switch outcome {
                case .success(let data?): buffers[index] = data
                case .success(nil):
                    group.cancelAll()
                    return .failure(.malformed("segment \(records[index].msn) of \(records[index].rendition) is gone"))
                case .failure(let error):
                    group.cancelAll()
                    return .failure(error)
                }
                add()
            }
            return .success(())
        }
        try result.get()
        return buffers.map { $0! }
    }
}
