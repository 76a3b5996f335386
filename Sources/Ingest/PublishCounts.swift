import Synchronization

/// Publishes of one ``PublishSource`` since the server started, for metrics: whatever the
/// protocol, every publish opens and closes through the ``PublishGateway``, which counts it here.
public struct PublishCounts: Sendable, Hashable {
    /// Publishes accepted.
    public var connects = 0
    /// Accepted publishes that ended, for any reason.
    public var disconnects = 0
    /// Of those, the ones whose encoder did not end them (``PublishEnding/lost``).
    public var lost = 0
    /// Publishes refused, by ``PublishGateway/Refusal/reason``.
    public var refusals: [String: Int] = [:]

    public init() {}
}

/// The counts of every source, updated as publishes open and close.
final class PublishTally: Sendable {
    private let counts = Mutex<[PublishSource: PublishCounts]>([:])

    var all: [PublishSource: PublishCounts] {
        counts.withLock { counts in
            Dictionary(uniqueKeysWithValues: PublishSource.allCases.map { ($0, counts[$0] ?? PublishCounts()) })
        }
    }

    func update(_ source: PublishSource, _ change: (inout PublishCounts) -> Void) {
        counts.withLock { change(&$0[source, default: PublishCounts()]) }
    }
}

extension PublishGateway.Refusal {
    /// A label for metrics: one of ``allReasons``.
    public var reason: String {
        switch self {
        case .notAuthorized: "unauthorized"
        case .alreadyPublishing: "busy"
        case .stopping: "stopping"
        }
    }

    public static let allReasons = ["unauthorized", "busy", "stopping"]
}
