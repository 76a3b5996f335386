extension ChannelHealthMonitor {
    /// When a channel counts as unhealthy. Percentages are whole numbers, so every comparison is
    /// integer arithmetic.
    public struct Configuration: Sendable, Hashable {
        /// No video frame for this long, while the publisher stays, is a `no-video` episode. Five
        /// seconds is well past any frame interval and the 2 s key-frame interval encoders are
        /// asked for, and about when a player that sits 1.5 to 6 s behind the live edge runs dry.
        public var noVideoTimeout: Duration
        /// The recent video bitrate is measured over this many whole seconds. Five seconds spans
        /// two 2 s GOPs, so a large key frame does not make one window look rich and the next poor.
        public var bitrateWindowSeconds: Int
        /// Seconds of video the session's average must rest on before any bitrate verdict: an
        /// encoder's rate control settles in the first seconds (x264 starts high).
        public var warmUpSeconds: Int
        /// A window below this percentage of the session's average is a `bitrate-collapse`.
        public var collapsePercent: Int
        /// A collapse ends when a window is back at this percentage of the average or above. The
        /// gap to ``collapsePercent`` keeps a bitrate hovering near the threshold from flapping.
        public var recoveryPercent: Int

        public init(
            noVideoTimeout: Duration = .seconds(5),
            bitrateWindowSeconds: Int = 5,
            warmUpSeconds: Int = 20,
            collapsePercent: Int = 10,
            recoveryPercent: Int = 50
        ) {
            precondition(bitrateWindowSeconds > 0, "the bitrate window needs at least one second")
            precondition(collapsePercent <= recoveryPercent, "a collapse must end above where it starts")
            self.noVideoTimeout = noVideoTimeout
            self.bitrateWindowSeconds = bitrateWindowSeconds
            self.warmUpSeconds = warmUpSeconds
            self.collapsePercent = collapsePercent
            self.recoveryPercent = recoveryPercent
        }
    }
}
