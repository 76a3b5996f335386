import Logging
import Synchronization

/// The publishes under way on every listener, each with its grant, so that a withdrawn right (a
/// revoked key, a deleted channel) ends its publish at once.
public final class LivePublishes: Sendable {
    /// One live publish; `disconnect` closes its connection.
    struct Entry: Sendable {
        var grant: PublishGrant
        var disconnect: @Sendable () -> Void
    }

    private let entries = Mutex<[Int: Entry]>([:])
    private let nextID = Atomic<Int>(0)
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The grants of every live publish.
    public var grants: [PublishGrant] {
        entries.withLock { Array($0.values.map(\.grant)) }
    }

    /// Records a publish; returns the id to pass to ``remove(_:)`` when it ends.
    func insert(_ grant: PublishGrant, disconnect: @escaping @Sendable () -> Void) -> Int {
        let id = nextID.add(1, ordering: .relaxed).newValue
        entries.withLock { $0[id] = Entry(grant: grant, disconnect: disconnect) }
        return id
    }

    func remove(_ id: Int) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }

    /// Disconnects every publish whose grant matches, logging one line each with `reason`.
    /// Returns how many it disconnected.
    @discardableResult
    public func disconnect(reason: String, where matches: (PublishGrant) -> Bool) -> Int {
        let doomed = entries.withLock { entries in
            entries.filter { matches($0.value.grant) }
        }
        for (id, entry) in doomed {
            logger.notice("publisher disconnected: \(reason)", metadata: ["channel": "\(entry.grant.channel)"])
            remove(id)
            entry.disconnect()
        }
        return doomed.count
    }
}
