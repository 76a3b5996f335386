import Logging
import NIOConcurrencyHelpers
import NIOPosix
import Scheduling
import ServiceLifecycle

/// Applies every archived channel's retention, every `interval`: each keeps what the job store
/// says (its archive settings). Retained recordings and clips pin their segments.
public final class RetentionService: Service, Sendable {
    public struct Statistics: Sendable, Hashable {
        public var deletedSegments = 0
        public var deletedBytes: Int64 = 0
        public var failures = 0
    }

    private let retention: ArchiveRetention
    private let reader: ArchiveReader
    private let store: any ArchiveStore
    private let jobs: any ArchiveJobStore
    private let interval: Duration
    private let logger: Logger
    private let now: @Sendable () -> Int64
    private let counters = NIOLockedValueBox(Statistics())

    public init(
        store: any ArchiveStore, jobs: any ArchiveJobStore, reader: ArchiveReader, interval: Duration, protected: Duration,
        logger: Logger, now: @escaping @Sendable () -> Int64
    ) {
        self.retention = ArchiveRetention(store: store, protectedMilliseconds: protected.components.seconds * 1_000 + protected.components.attoseconds / 1_000_000_000_000_000)
        self.reader = reader
        self.store = store
        self.jobs = jobs
        self.interval = interval
        self.logger = logger
        self.now = now
    }

    public var statistics: Statistics { counters.withLockedValue { $0 } }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.pass()
                try? await MultiThreadedEventLoopGroup.singleton.sleep(for: self.interval)
            }
        }
    }

    /// One pass over every archived channel: channels are found in the archive itself, so one that
    /// is offline (or has not published since a restart) is kept in check too. A failing channel
    /// is logged and the others go on.
    public func pass() async {
        let channels: [String]
        do {
            channels = try await store.listDirectories(prefix: "")
        } catch {
            counters.withLockedValue { $0.failures += 1 }
            logger.warning("archive retention: cannot list the archive's channels: \(error)")
            return
        }
        for target in await jobs.retentionTargets(channels: channels) where !target.policy.keepsEverything {
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
