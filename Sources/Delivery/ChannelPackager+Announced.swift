import Packager

extension ChannelPackager {
    /// Whether the channel's multivariant playlist is served: every rendition holds HOLD-BACK
    /// (three target durations) of complete segments, so players that start HOLD-BACK from the
    /// end have media there, and BANDWIDTH is measured, not guessed.
    var isAnnounced: Bool {
        let snapshots = renditions.compactMap { $0.snapshot() }
        return !snapshots.isEmpty
            && snapshots.allSatisfy { $0.segments.filter(\.isComplete).count >= PlaybackRoutes.segmentsBeforeAnnouncing }
    }
}
