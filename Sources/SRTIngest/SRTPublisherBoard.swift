import CSRT
import Synchronization

/// The latest libsrt statistics of each live SRT publish, by socket: written by the listener's
/// thread, read by whoever reports them.
final class SRTPublisherBoard: Sendable {
    private let entries = Mutex<[SRTSOCKET: SRTPublisherStatistics]>([:])

    func update(_ socket: SRTSOCKET, _ statistics: SRTPublisherStatistics) {
        entries.withLock { $0[socket] = statistics }
    }

    func remove(_ socket: SRTSOCKET) -> SRTPublisherStatistics? {
        entries.withLock { $0.removeValue(forKey: socket) }
    }

    var byChannel: [String: SRTPublisherStatistics] {
        entries.withLock { Dictionary($0.values.map { ($0.channel, $0) }, uniquingKeysWith: { first, _ in first }) }
    }
}
