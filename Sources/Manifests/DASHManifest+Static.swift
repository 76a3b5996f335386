import MediaCore

extension DASHManifest {
    /// Where the listed media ends: the latest end of a Representation's last segment, in
    /// milliseconds after ``availabilityStartTime`` (its presentation time, §5.3.9.6:
    /// `Period@start + (t + d - presentationTimeOffset) / timescale`).
    public var presentationEnd: Int64 {
        periods.flatMap { period in
            period.adaptationSets.flatMap(\.representations).compactMap { representation -> Int64? in
                let template = representation.segments
                guard let last = template.timeline.last else { return nil }
                let ticks = last.start + last.duration - template.presentationTimeOffset
                return period.start + MediaTime(ticks: ticks, timescale: template.timescale).milliseconds
            }
        }.max() ?? periods.first?.start ?? 0
    }

    /// Makes a static MPD count from its first Period (§5.3.1.2, §5.3.2.1: the presentation of a
    /// static MPD starts at time zero): `availabilityStartTime` moves to that Period's wall clock,
    /// every `Period@start` counts from it, and `mediaPresentationDuration` reaches the end of
    /// the listed media.
    public mutating func startAtFirstPeriod() {
        guard let first = periods.first?.start else { return }
        let end = presentationEnd
        availabilityStartTime += first
        for index in periods.indices { periods[index].start -= first }
        mediaPresentationDuration = MediaTime(ticks: max(0, end - first), timescale: 1_000)
    }
}
