extension InputSwitch {
    /// When the channel leaves its primary and when it comes back to it.
    public struct Configuration: Sendable, Hashable {
        /// The primary is lost once it has sent no video for this long (no frame of its leading
        /// track: the video, or the audio of an audio-only input). A primary that disconnects is
        /// lost at once.
        public var lossTimeout: Duration
        /// A primary that is back feeds the channel again once it has sent video this long without
        /// a loss.
        public var returnAfter: Duration

        public init(lossTimeout: Duration = .seconds(1), returnAfter: Duration = .seconds(5)) {
            self.lossTimeout = lossTimeout
            self.returnAfter = returnAfter
        }

        /// Accepted loss timeouts: from a few frames (below that, one late frame of a healthy
        /// primary over a jittery link switches) to a minute (beyond it, viewers have left).
        public static let lossTimeoutLimits: ClosedRange<Duration> = .milliseconds(100) ... .seconds(60)
        /// Accepted return delays: none (back at its next key frame) to an hour.
        public static let returnAfterLimits: ClosedRange<Duration> = .zero ... .seconds(3_600)
    }
}
