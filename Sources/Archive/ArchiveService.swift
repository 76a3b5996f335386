import Logging
import NIOPosix
import Scheduling
import ServiceLifecycle

/// Runs the archive writer. At start it clears what a crash left half-written; at shutdown it
/// gives queued segments `drainTimeout` to reach the store.
public struct ArchiveService: Service {
    let writer: ArchiveWriter
    let store: any ArchiveStore
    let logger: Logger
    /// Told when writes start failing (with the store's error) and when they succeed again.
    var onHealthChange: @Sendable (_ failure: ArchiveError?) async -> Void
    /// How long shutdown waits for queued segments.
    var drainTimeout: Duration
    /// How often the writer's health is looked at.
    static let healthInterval: Duration = .milliseconds(500)

    public init(
        writer: ArchiveWriter, store: any ArchiveStore, logger: Logger, drainTimeout: Duration = .seconds(2),
        onHealthChange: @escaping @Sendable (_ failure: ArchiveError?) async -> Void = { _ in }
    ) {
        self.writer = writer
        self.store = store
        self.logger = logger
        self.drainTimeout = drainTimeout
        self.onHealthChange = onHealthChange
    }

    public func run() async throws {
        if let disk = store as? DiskArchiveStore {
            do {
                let removed = try await disk.removeLeftovers()
                if removed > 0 { logger.notice("archive: removed \(removed) partial files left by a crash") }
            } catch {
                logger.warning("archive: could not clear partial files: \(error)")
            }
        }
        let task = Task { await writer.run() }
        await cancelWhenGracefulShutdown {
            var failing = false
            while !Task.isCancelled {
                let statistics = writer.statistics
                if statistics.failing != failing {
                    failing = statistics.failing
                    await onHealthChange(failing ? statistics.lastFailure ?? .unavailable("unknown") : nil)
                }
                try? await MultiThreadedEventLoopGroup.singleton.sleep(for: Self.healthInterval)
            }
        }
        let deadline = ContinuousClock.now + drainTimeout
        while writer.statistics.pending > 0, ContinuousClock.now < deadline {
            try? await MultiThreadedEventLoopGroup.singleton.sleep(for: .milliseconds(50))
        }
        let left = writer.statistics.pending
        if left > 0 { logger.warning("archive: \(left) segments not written at shutdown") }
        task.cancel()
        await task.value
        if let s3 = store as? S3ArchiveStore { await s3.shutdown() }
    }
}
