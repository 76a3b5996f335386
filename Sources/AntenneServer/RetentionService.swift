import Archive
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import ServiceLifecycle

/// Applies every archived channel's retention, once a minute: configured channels keep what
/// `--archive-retention` and `--archive-max-bytes` say, control-plane channels what their
/// archive settings say. Retained recordings and clips pin their segments.
final class RetentionService: Service, Sendable {
    struct Statistics: Sendable, Hashable {
        var deletedSegments = 0
        var deletedBytes: Int64 = 0
        var failures = 0
    }

    /// One channel's retention, as a pass needs it.
    struct Target: Sendable {
        var channel: String
        var policy: RetentionPolicy
        /// Unix ms ranges whose segments stay.
        var pinned: [Range<Int64>]
        /// Told the oldest segment left, so what lies wholly before it can be forgotten.
        var afterPass: @Sendable (_ oldestKept: Int64?) async -> Void = { _ in }
    }

    private let retention: ArchiveRetention
    private let reader: ArchiveReader
    private let targets: @Sendable () async -> [Target]
    private let interval: Duration
    private let logger: Logger
    private let now: @Sendable () -> Int64
    private let counters = NIOLockedValueBox(Statistics())

    init(
        store: any ArchiveStore, reader: ArchiveReader, interval: Duration, protected: Duration, logger: Logger,
        now: @escaping @Sendable () -> Int64, targets: @escaping @Sendable () async -> [Target]
    ) {
        self.retention = ArchiveRetention(store: store, protectedMilliseconds: protected.components.seconds * 1_000 + protected.components.attoseconds / 1_000_000_000_000_000)
        self.reader = reader
        self.targets = targets
        self.interval = interval
        self.logger = logger
        self.now = now
    }

    var statistics: Statistics { counters.withLockedValue { $0 } }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.pass()
                try? await MultiThreadedEventLoopGroup.singleton.sleep(for: self.interval)
            }
        }
    }

    /// One pass over every target; a failing channel is logged and the others go on.
    func pass() async {
        for target in await targets() where !target.policy.keepsEverything {
            do {
                let outcome = try await retention.apply(channel: target.channel, policy: target.policy, pinned: target.pinned, now: now())
                if outcome.deletedSegments > 0 {
                    reader.invalidate(channel: target.channel)
                    counters.withLockedValue {
                        $0.deletedSegments += outcome.deletedSegments
                        $0.deletedBytes += outcome.deletedBytes
                    }
                    logger.info("archive retention", metadata: [
                        "channel": "\(target.channel)", "deletedSegments": "\(outcome.deletedSegments)",
                        "deletedBytes": "\(outcome.deletedBytes)", "keptBytes": "\(outcome.keptBytes)",
                    ])
                }
                await target.afterPass(outcome.oldestKept)
            } catch {
                counters.withLockedValue { $0.failures += 1 }
                logger.warning("archive retention failed: \(error)", metadata: ["channel": "\(target.channel)"])
            }
        }
    }
}
