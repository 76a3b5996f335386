/// The host and the server's shared parts: what the server page of the back-office shows. A
/// figure the host does not give is nil.
public struct ServerStatus: Sendable, Hashable {
    /// The server process's CPU time over the last sampling interval, as a share of one core (1.5:
    /// one and a half cores busy).
    public var cpu: Double?
    public var cores: Int?
    /// Resident memory of the server process.
    public var memoryBytes: Int64?
    /// The host's memory.
    public var memoryTotalBytes: Int64?
    /// The data directory's filesystem: its size and what may still be written.
    public var diskBytes: Int64?
    public var diskFreeBytes: Int64?
    public var archive = ArchiveHealth()
    public var transcoders: [Transcoder] = []
    /// Channels an encoder publishes to.
    public var liveChannels = 0
    public var uptimeSeconds = 0

    public struct ArchiveHealth: Sendable, Hashable {
        /// Whether archive writes fail now (store full or unavailable).
        public var failing = false
        public var segments: Int64 = 0
        public var failures: Int64 = 0
        public var dropped: Int64 = 0
        public var pending = 0

        public init(failing: Bool = false, segments: Int64 = 0, failures: Int64 = 0, dropped: Int64 = 0, pending: Int = 0) {
            self.failing = failing
            self.segments = segments
            self.failures = failures
            self.dropped = dropped
            self.pending = pending
        }
    }

    /// A channel's FFmpeg.
    public struct Transcoder: Sendable, Hashable {
        public var channel: String
        public var running: Bool
        public var restarts: Int
        /// FFmpeg's speed; below 1 the renditions fall behind.
        public var speed: Double?
        /// How far the renditions trail the source, in seconds.
        public var lagSeconds: Double?
        public var lastError: String?

        public init(channel: String, running: Bool, restarts: Int, speed: Double?, lagSeconds: Double?, lastError: String?) {
            self.channel = channel
            self.running = running
            self.restarts = restarts
            self.speed = speed
            self.lagSeconds = lagSeconds
            self.lastError = lastError
        }
    }

    public init() {}
}
