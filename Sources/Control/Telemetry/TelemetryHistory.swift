import Foundation

/// A channel's recent figures, sampled at a fixed interval, oldest first.
public struct TelemetryHistory: Sendable, Hashable {
    /// One sample.
    public struct Sample: Sendable, Hashable {
        public var at: Date
        /// Ingest bits per second; nil while the channel is offline.
        public var bitrate: Double?
        public var viewers: Int
        /// Playback answers in error (4xx and 5xx) since the previous sample.
        public var errors: Int

        public init(at: Date, bitrate: Double?, viewers: Int, errors: Int) {
            self.at = at
            self.bitrate = bitrate
            self.viewers = viewers
            self.errors = errors
        }
    }

    public var intervalSeconds: Int
    public var samples: [Sample]

    public init(intervalSeconds: Int, samples: [Sample]) {
        self.intervalSeconds = intervalSeconds
        self.samples = samples
    }
}
