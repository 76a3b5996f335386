import CSRT
import Hub
import Ingest
import Synchronization

/// The latest libsrt statistics of each live SRT publish, by socket: written by the listener's
/// thread, read by whoever reports them.
final class SRTPublisherBoard: Sendable {
    private let entries = Mutex<[SRTSOCKET: SRTPublisherStatistics]>([:])

    /// Reads the socket's statistics from libsrt (`srt_bstats`) for the publish it carries; a
    /// socket libsrt no longer knows keeps its last figures.
    func record(_ socket: SRTSOCKET, _ grant: PublishGrant) {
        var perf = SRT_TRACEBSTATS()
        guard srt_bstats(socket, &perf, 0) != SRT_ERROR else { return }
        let statistics = SRTPublisherStatistics(channel: grant.channel, input: grant.role, perf)
        entries.withLock { $0[socket] = statistics }
    }

    func remove(_ socket: SRTSOCKET) -> SRTPublisherStatistics? {
        entries.withLock { $0.removeValue(forKey: socket) }
    }

    /// The publish that feeds `input` of `channel`, if it is an SRT one.
    func statistics(channel: String, input: InputRole) -> SRTPublisherStatistics? {
        entries.withLock { $0.values.first { $0.channel == channel && $0.input == input } }
    }

    /// Every live SRT publish, by channel and then input (a channel may have its primary and its
    /// backup over SRT).
    var all: [SRTPublisherStatistics] {
        entries.withLock { Array($0.values) }.sorted { ($0.channel, $0.input.rawValue) < ($1.channel, $1.input.rawValue) }
    }
}
