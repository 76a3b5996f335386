import NIOConcurrencyHelpers

/// What viewers' players report (``ViewerReport``), counted per channel: for the operations
/// metrics and the back-office. Only channels the server has are counted (the caller checks),
/// so the reports of a stranger cannot grow the table.
public final class ViewerReports: Sendable {
    /// Counts of one channel since the server started. Sums and counts rather than averages, so
    /// that a metrics system can take rates of them.
    public struct Counts: Sendable, Equatable {
        public var reports = 0
        /// Time from load to first frame, in total, and how many first frames came within each
        /// of `startupBounds` (the last counts every one reported).
        public var startupMillisecondsSum = 0
        public var startupBuckets = [Int](repeating: 0, count: ViewerReports.startupBounds.count + 1)
        public var stalls = 0
        public var stallMillisecondsSum = 0
        /// Reports at the live edge, and their latencies (seconds) in total.
        public var latencyReports = 0
        public var latencySum = 0.0
        /// Reports with a bitrate, and those bitrates (bit/s) in total.
        public var bitrateReports = 0
        public var bitrateSum = 0
        /// Media bytes P2P players got over HTTP and from peers (issue 17).
        public var httpBytes = 0
        public var peerBytes = 0
    }

    /// Upper bounds (ms) of the startup buckets, cumulative as Prometheus histograms count them:
    /// 200 ms is the zap target of issue 13, a second and more is slow.
    public static let startupBounds = [100, 200, 500, 1000, 2000, 5000]

    private let counts = NIOLockedValueBox<[String: Counts]>([:])

    public init() {}

    func record(_ report: ViewerReport) {
        counts.withLockedValue { all in
            var c = all[report.channel] ?? Counts()
            c.reports += 1
            if let startup = report.startupMilliseconds {
                c.startupMillisecondsSum += startup
                for (i, bound) in Self.startupBounds.enumerated() where startup <= bound { c.startupBuckets[i] += 1 }
                c.startupBuckets[Self.startupBounds.count] += 1
            }
            c.stalls += report.stalls
            c.stallMillisecondsSum += report.stallMilliseconds
            if let latency = report.latency {
                c.latencyReports += 1
                c.latencySum += latency
            }
            if let bitrate = report.bitrate {
                c.bitrateReports += 1
                c.bitrateSum += bitrate
            }
            c.httpBytes += report.httpBytes
            c.peerBytes += report.peerBytes
            all[report.channel] = c
        }
    }

    /// The counts of every channel reported on, by name.
    public var snapshot: [String: Counts] { counts.withLockedValue { $0 } }
}
