import Containers
import Manifests
import MediaCore
import NIOCore
import Packager

/// What a pull takes from one origin playlist: the segments and parts past the edge's position,
/// in order, each fetched once.
extension RenditionPull {
    /// A segment as the origin lists it, complete or in progress.
    struct Listed {
        var msn: Int
        var complete: Bool
        var parts: [MediaPlaylist.Part]
        var duration: MediaTime?
        var discontinuity: Bool
        var map: String?
        var programDateTime: Int64?
        var gap: Bool
        /// Its `EXT-X-KEY` at the origin: its bytes come encrypted.
        var key: MediaPlaylist.Key?
        /// The `EXT-X-DATERANGE` tags listed with it: markers (``EdgeMarkers``).
        var dateRanges: [MediaPlaylist.DateRange] = []
    }

    static func listed(_ playlist: MediaPlaylist) -> [Listed] {
        let first = Int(playlist.mediaSequence) + playlist.skippedSegments
        var all = playlist.segments.enumerated().map { offset, segment in
            Listed(msn: first + offset, complete: true, parts: segment.parts, duration: segment.duration, discontinuity: segment.discontinuity,
                   map: segment.map?.uri, programDateTime: segment.programDateTime, gap: segment.gap, key: segment.key,
                   dateRanges: segment.dateRanges)
        }
        if let progress = playlist.inProgressSegment {
            all.append(Listed(msn: first + playlist.segments.count, complete: false, parts: progress.parts, duration: nil,
                              discontinuity: progress.discontinuity, map: progress.map?.uri, programDateTime: progress.programDateTime, gap: false,
                              key: progress.key, dateRanges: progress.dateRanges))
        }
        return all
    }

    /// Where a new pull starts: `startSegments` complete segments from the end (a player that is
    /// not low-latency starts there, and the multivariant playlist is served once every
    /// rendition holds that many), or earlier if the origin lists parts from an earlier segment.
    static func start(_ listed: [Listed], startSegments: Int) -> Int? {
        let complete = listed.filter(\.complete)
        let holdBack = complete.isEmpty ? nil : complete[max(0, complete.count - startSegments)].msn
        let withParts = listed.first { !$0.parts.isEmpty && !$0.gap }?.msn
        return [holdBack, withParts].compactMap { $0 }.min() ?? listed.first?.msn
    }

    /// Takes what `playlist` lists past the edge's position.
    func apply(_ playlist: MediaPlaylist, from index: Int) async throws(EdgeError) {
        let listed = Self.listed(playlist)
        if next == nil {
            guard let start = Self.start(listed, startSegments: limits.startSegments) else { return }
            next = (start, 0)
        }
        if let position = next, let first = listed.first, first.msn > position.msn {
            try skip(to: first, from: position)
        }
        for entry in listed {
            guard let position = next, entry.msn >= position.msn else { continue }
            guard try await take(entry, from: index) else { return }
        }
    }

    /// The origin no longer lists what the edge needs next (the edge fell a whole window
    /// behind): the segment open at the edge ends with what it has, and the numbers missed are
    /// gaps here (RFC 8216bis §4.4.4.7), so that the numbering goes on. At most what the
    /// retained window (twice the listed one) holds; a longer hole is refused.
    private func skip(to first: Listed, from position: (msn: Int, part: Int)) throws(EdgeError) {
        guard let map else { throw .unusable(url: hints.name, reason: "segment \(position.msn) is no longer listed") }
        var msn = position.msn
        if let held = open {
            rendition.close(msn: held.msn)
            open = nil
            msn = held.msn + 1
        }
        let segmentTarget = configuration.segmentTarget
        let most = Int(2 * configuration.window.milliseconds / max(1, segmentTarget.milliseconds)) + 2
        guard first.msn - msn <= most else {
            throw .unusable(url: hints.name, reason: "segments \(msn) to \(first.msn - 1) are no longer listed")
        }
        let duration = segmentTarget.rescaled(to: map.track.timescale).ticks
        for missed in msn..<first.msn {
            let before = Int64(first.msn - missed) * segmentTarget.milliseconds
            rendition.addGap(msn: missed, duration: duration, programDateTime: (first.programDateTime ?? before) - before)
        }
        logger.warning("segments missed: listed as gaps", metadata: ["rendition": "\(hints.name)", "from": "\(msn)", "to": "\(first.msn - 1)"])
        next = (first.msn, 0)
    }

    /// Takes what is new of one listed segment; false when nothing more can be taken yet.
    private func take(_ entry: Listed, from index: Int) async throws(EdgeError) -> Bool {
        let msn = entry.msn
        if entry.gap {
            guard open == nil, let duration = entry.duration else { throw .unusable(url: hints.name, reason: "segment \(msn) turned into a gap") }
            try await begin(entry, from: index)
            rendition.addGap(msn: msn, duration: ticks(duration), programDateTime: entry.programDateTime ?? 0)
            next = (msn + 1, 0)
            return true
        }
        if open?.msn != msn {
            guard !entry.parts.isEmpty || entry.complete else { return false }
            try await begin(entry, from: index)
            let whole = entry.parts.isEmpty
            let data = whole
                ? try await fetch("\(msn).m4s", from: index, timeout: segmentTimeout, limit: limits.mediaBytes)
                : try await fetch(try partFile(entry, 0), from: index, timeout: fetchTimeout, limit: limits.mediaBytes)
            rendition.open(msn: msn, startDTS: try startDTS(of: data, msn: msn, encrypted: entry.key != nil),
                           programDateTime: entry.programDateTime ?? 0)
            let first = whole
                ? LivePart(index: 0, duration: ticks(entry.duration!), independent: true, data: data)
                : LivePart(index: 0, duration: ticks(entry.parts[0].duration), independent: entry.parts[0].independent, data: data)
            rendition.add(first, msn: msn)
            open = (msn, data.readableBytes, first.duration)
            next = (msn, 1)
        }
        guard var held = open else { return false }
        var whole: ByteBuffer?
        if entry.parts.isEmpty, entry.complete, let duration = entry.duration, next!.part > 0, held.duration < ticks(duration) {
            // Its parts are no longer listed (the edge fell behind by three target durations):
            // the rest of the segment, as one part.
            let fetched = try await fetch("\(msn).m4s", from: index, timeout: segmentTimeout, limit: limits.mediaBytes)
            whole = fetched
            guard fetched.readableBytes > held.bytes,
                  let rest = fetched.getSlice(at: fetched.readerIndex + held.bytes, length: fetched.readableBytes - held.bytes) else {
                throw .unusable(url: hints.name, reason: "segment \(msn) is shorter than its parts")
            }
            rendition.add(LivePart(index: next!.part, duration: ticks(duration) - held.duration, independent: false, data: rest), msn: msn)
        } else {
            for partIndex in next!.part..<max(next!.part, entry.parts.count) {
                let part = entry.parts[partIndex]
                let data = try await fetch(try partFile(entry, partIndex), from: index, timeout: fetchTimeout, limit: limits.mediaBytes)
                let live = LivePart(index: partIndex, duration: ticks(part.duration), independent: part.independent, data: data)
                rendition.add(live, msn: msn)
                held.bytes += data.readableBytes
                held.duration += live.duration
                open = held
                next = (msn, partIndex + 1)
            }
        }
        guard entry.complete else { return true }
        // An encrypted segment is not its parts' bytes (the origin encrypts each whole, with its
        // own padding): taken in parts, it is fetched whole too.
        if entry.key != nil, whole == nil, !entry.parts.isEmpty {
            whole = try await fetch("\(msn).m4s", from: index, timeout: segmentTimeout, limit: limits.mediaBytes)
        }
        rendition.close(msn: msn, data: entry.key == nil ? nil : whole.map { [$0] })
        open = nil
        next = (msn + 1, 0)
        return true
    }

    /// Before a segment starts at the edge: its init segment in use, and a new session of the
    /// window where the origin has a discontinuity (or a new map).
    private func begin(_ entry: Listed, from index: Int) async throws(EdgeError) {
        let uri = entry.map.map(Self.fileName) ?? map?.uri
        var changed = !started
        if let uri, uri != map?.uri {
            try await load(map: uri, from: index)
            changed = true
        }
        guard let map else { throw .unusable(url: hints.name, reason: "segment \(entry.msn) has no map") }
        if changed || entry.discontinuity {
            rendition.begin(track: map.track, initSegment: map.data)
            // Captions as the origin signalled them when the edge found the channel.
            if let captions = hints.captions { rendition.markCaptions(captions) }
            started = true
        }
    }

    /// The file name of part `index` of `entry`: `{msn}.{index}.m4s`, as the origin must list it.
    private func partFile(_ entry: Listed, _ index: Int) throws(EdgeError) -> String {
        let file = "\(entry.msn).\(index).m4s"
        guard Self.fileName(entry.parts[index].uri) == file else {
            throw .unusable(url: hints.name, reason: "part \(index) of segment \(entry.msn) is listed as \(entry.parts[index].uri)")
        }
        return file
    }

    /// The decode time of the first sample of `data` (its `tfdt`, ISO/IEC 14496-12 §8.8.12). An
    /// encrypted segment cannot be read: it starts where the one before ends (only a DASH timeline
    /// reads it, and an encrypted channel has no MPD).
    private func startDTS(of data: ByteBuffer, msn: Int, encrypted: Bool) throws(EdgeError) -> Int64 {
        guard let map else { return 0 }
        if encrypted {
            return rendition.snapshot()?.segments.last.map { $0.startDTS + $0.duration } ?? 0
        }
        do {
            return try FMP4Reader.samples(inSegment: data, track: map.movie, source: 0).first?.decodeTime ?? 0
        } catch {
            throw .media(url: "\(hints.name)/\(msn)", error)
        }
    }

    private func ticks(_ duration: MediaTime) -> Int64 {
        duration.rescaled(to: map?.track.timescale ?? duration.timescale).ticks
    }
}
