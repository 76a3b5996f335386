extension ChannelHealthMonitor {
    /// What the owner of the monitor reports. An episode opens with ``noVideo(for:)`` or
    /// ``bitrateCollapsed(bitsPerSecond:averageBitsPerSecond:)`` and closes with
    /// ``recovered(from:after:)``, or silently when the publish session ends.
    public enum Action: Sendable, Hashable {
        /// No video frame has arrived for `for` (at least ``Configuration/noVideoTimeout``) while
        /// the publisher stays connected.
        case noVideo(for: Duration)
        /// The video bitrate of the last ``Configuration/bitrateWindowSeconds``, frames still
        /// arriving, fell below ``Configuration/collapsePercent`` of the session's average.
        case bitrateCollapsed(bitsPerSecond: Int64, averageBitsPerSecond: Int64)
        /// The episode ended: video is back, or the bitrate is back at
        /// ``Configuration/recoveryPercent`` of the average. `after` runs from the last video
        /// frame (no video) or from the start of the window that collapsed.
        case recovered(from: Reason, after: Duration)
    }

    /// Why a channel is unhealthy.
    public enum Reason: Sendable, Hashable {
        case noVideo
        case bitrateCollapse
    }

    /// An unhealthy stretch of a publish session.
    public struct Episode: Sendable, Hashable {
        public let reason: Reason
        /// When the problem began: the last video frame, or the start of the collapsed window.
        public let since: ContinuousClock.Instant
    }
}
