import MediaCore

extension MediaPlaylist {
    /// The version `EXT-X-SKIP` requires (RFC 8216bis §7).
    public static let skipMinimumVersion = 9

    /// The Playlist Delta Update of this playlist (RFC 8216bis §6.2.5.1, §4.4.5.2), served for
    /// `_HLS_skip=YES`.
    ///
    /// Segments whose start is more than `canSkipUntil` before the end of the playlist (the end
    /// of its last complete segment) are removed and counted in ``skippedSegments``.
    /// ``mediaSequence`` and ``discontinuitySequence`` are left unchanged: they still describe the
    /// first segment of the full playlist, skipped or not. The first remaining segment carries its
    /// ``Segment/map``, so the renderer writes `EXT-X-MAP` after `EXT-X-SKIP`. ``version`` is
    /// raised to ``skipMinimumVersion`` when lower. When nothing can be skipped the playlist is
    /// returned unchanged (a full playlist is a valid answer to a skip request).
    ///
    /// `EXT-X-DATERANGE` tags are never skipped (this server does not offer
    /// `CAN-SKIP-DATERANGES`, §4.4.3.8): those of skipped segments go with the first remaining one.
    ///
    /// Parts are kept as they are; call ``removingStaleParts()`` first (or after) to keep only the
    /// parts of the last three target durations.
    ///
    /// - Parameter canSkipUntil: the server's `CAN-SKIP-UNTIL`, normally
    ///   `serverControl.canSkipUntil`. It must be at least six target durations (§4.4.3.8); this
    ///   is not checked here.
    public func deltaUpdate(canSkipUntil: MediaTime) -> MediaPlaylist {
        guard let first = segments.first else { return self }
        let timescale = first.duration.timescale
        let starts = segmentStarts(timescale: timescale)
        let end = starts.last!
        let boundary = canSkipUntil.rescaled(to: timescale).ticks
        // Segments are oldest first, so the skippable ones are a prefix. The last segment is
        // always kept, so a delta update is never empty.
        let skipCount = starts.prefix(segments.count - 1).prefix { end - $0 > boundary }.count
        guard skipCount > 0 else { return self }
        var delta = self
        let ranges = segments.prefix(skipCount).flatMap(\.dateRanges)
        delta.segments.removeFirst(skipCount)
        delta.segments[0].dateRanges.insert(contentsOf: ranges, at: 0)
        delta.skippedSegments += skipCount
        delta.version = max(version, Self.skipMinimumVersion)
        return delta
    }

    /// This playlist without the `EXT-X-PART` tags of segments that ended more than three target
    /// durations before the end of the playlist (§4.4.4.9: servers remove parts older than
    /// that; clients only use parts near the live edge). The end of the playlist includes the
    /// in-progress segment's parts. Segments and their `EXTINF` are kept.
    public func removingStaleParts() -> MediaPlaylist {
        guard let first = segments.first else { return self }
        let timescale = first.duration.timescale
        let starts = segmentStarts(timescale: timescale)
        var end = starts.last!
        for part in inProgressSegment?.parts ?? [] { end += part.duration.rescaled(to: timescale).ticks }
        let window = Int64(targetDuration) * 3 * Int64(timescale)
        var trimmed = self
        for index in trimmed.segments.indices {
            let segmentEnd = starts[index + 1]
            if end - segmentEnd >= window { trimmed.segments[index].parts = [] }
        }
        return trimmed
    }

    /// Start of every segment, then the end of the last one, in ticks of `timescale` from the
    /// start of the first segment: `segments.count + 1` values.
    private func segmentStarts(timescale: UInt32) -> [Int64] {
        var starts: [Int64] = [0]
        starts.reserveCapacity(segments.count + 1)
        var position = MediaTime(ticks: 0, timescale: timescale)
        for segment in segments {
            position = position.adding(segment.duration)
            starts.append(position.ticks)
        }
        return starts
    }
}
