import Archive
import Foundation
import Logging
import NIOPosix
import Scheduling
import ServiceLifecycle

/// Where the archive lives, from `--archive`: a directory (default `archive` in the data
/// directory) or an S3-compatible bucket (`s3://bucket/prefix`, with `--s3-endpoint`).
enum ArchiveLocation: Sendable, Hashable {
    case directory(URL)
    case s3(S3Configuration)

    static func parse(
        _ text: String?, dataDirectory: String, s3Endpoint: String? = nil, s3Addressing: S3Configuration.Addressing = .path,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ArchiveLocation {
        guard let text, !text.isEmpty else {
            return .directory(URL(fileURLWithPath: dataDirectory).appendingPathComponent("archive"))
        }
        if text.hasPrefix("s3://") {
            do {
                return .s3(try S3Configuration(url: text, endpoint: s3Endpoint, addressing: s3Addressing, environment: environment))
            } catch {
                throw ConfigError("--archive \(text): \(error)")
            }
        }
        return .directory(URL(fileURLWithPath: text))
    }

    func makeStore(logger: Logger) -> any ArchiveStore {
        switch self {
        case .directory(let url): DiskArchiveStore(root: url)
        case .s3(let configuration): S3ArchiveStore(configuration: configuration, logger: logger)
        }
    }
}

/// Runs the archive writer. At start it clears what a crash left half-written; at shutdown it
/// gives queued segments a few seconds to reach the store.
struct ArchiveService: Service {
    let writer: ArchiveWriter
    let store: any ArchiveStore
    let logger: Logger
    /// Told when writes start failing (with the store's error) and when they succeed again.
    var onHealthChange: @Sendable (_ failure: ArchiveError?) async -> Void = { _ in }
    /// How long shutdown waits for queued segments.
    var drainTimeout: Duration = .seconds(2)
    /// How often the writer's health is looked at.
    static let healthInterval: Duration = .milliseconds(500)

    func run() async throws {
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
