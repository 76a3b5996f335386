import Packager

extension Array where Element == RenditionSnapshot {
    /// Whether a channel with these renditions' windows is announced (its multivariant playlist is
    /// served): every rendition holds HOLD-BACK (three target durations, RFC 8216bis §4.4.3.8) of
    /// complete segments, so players that start HOLD-BACK from the end (Chromium's native HLS fails
    /// otherwise) have media there, and BANDWIDTH is measured, not guessed.
    var areAnnounced: Bool {
        !isEmpty && allSatisfy { $0.segments.filter(\.isComplete).count >= PlaybackRoutes.segmentsBeforeAnnouncing }
    }
}

extension LiveChannelWindow {
    /// See ``Swift/Array/areAnnounced``.
    var isAnnounced: Bool { listedRenditions.compactMap { $0.snapshot() }.areAnnounced }
}
