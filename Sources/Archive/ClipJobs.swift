import Foundation
import Logging
import ServiceLifecycle

/// Makes the clips asked for, one at a time: claims a pending clip (several servers on one job
/// store each take different ones), cuts it from the archive with ``ClipMaker``, and marks it
/// ready or failed. Progress is written as it goes, and renews the claim.
public struct ClipJobs: Service {
    let store: any ArchiveJobStore
    let maker: ClipMaker
    let archive: any ArchiveStore
    let logger: Logger
    /// How often the files of deleted clips (and of deleted channels' clips) are removed.
    var sweepInterval: Duration

    public init(store: any ArchiveJobStore, maker: ClipMaker, archive: any ArchiveStore, logger: Logger, sweepInterval: Duration = .seconds(600)) {
        self.store = store
        self.maker = maker
        self.archive = archive
        self.logger = logger
        self.sweepInterval = sweepInterval
    }

    /// A claim lasts this long unless progress renews it; then another server may take the clip.
    public static let lease: Double = 120

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var nextSweep = ContinuousClock.now
            while !Task.isCancelled {
                if ContinuousClock.now >= nextSweep {
                    await sweep()
                    nextSweep = ContinuousClock.now + sweepInterval
                }
                let mark = store.clipOrderMark
                if await makeNext() { continue }
                // Idle: wait for a clip order or the next sweep.
                await store.waitForClipOrders(after: mark, atMost: max(.zero, nextSweep - ContinuousClock.now))
            }
        }
    }

    /// Makes one pending clip; false if there was none (or the database did not answer).
    func makeNext() async -> Bool {
        let order: ClipOrder
        do {
            guard let claimed = try await store.claimNextClip(lease: Self.lease) else { return false }
            order = claimed
        } catch {
            logger.warning("clip jobs: claim failed: \(error)")
            return false
        }
        let id = order.id.uuidString.lowercased()
        let started = ContinuousClock.now
        do {
            let result = try await maker.make(
                id: id, channel: order.channel, rendition: order.rendition, start: order.start, end: order.end
            ) { [store, logger] progress in
                do {
                    try await store.clipProgressed(order.id, progress: progress, lease: Self.lease)
                } catch {
                    logger.debug("clip progress not saved: \(error)")
                }
            }
            try await store.clipFinished(order.id, size: result.size)
            logger.info("clip ready", metadata: [
                "clip": "\(id)", "channel": "\(order.channel)", "bytes": "\(result.size)",
                "mediaSeconds": "\(result.milliseconds / 1000)", "took": "\(ContinuousClock.now - started)",
            ])
        } catch {
            logger.error("clip failed: \(error)", metadata: ["clip": "\(id)", "channel": "\(order.channel)"])
            do {
                try await store.clipFailed(order.id, reason: Self.reason(error))
            } catch {
                logger.error("clip failure not saved: \(error)", metadata: ["clip": "\(id)"])
            }
        }
        return true
    }

    /// Deletes the MP4 of every clip the database no longer has: deleted through the API, or
    /// with its channel. Returns how many went.
    @discardableResult
    func sweep() async -> Int {
        var removed: [ArchiveKey] = []
        do {
            for channel in try await archive.listDirectories(prefix: "") {
                for object in try await archive.list(prefix: "\(channel)/\(ClipMaker.directory)/") {
                    let name = object.key.components.last.map(String.init) ?? ""
                    guard name.hasSuffix(".mp4"), let id = UUID(uuidString: String(name.dropLast(4))) else { continue }
                    if try await !store.clipExists(id) { removed.append(object.key) }
                }
            }
            if !removed.isEmpty {
                try await archive.delete(removed)
                logger.info("removed the files of \(removed.count) deleted clips")
            }
        } catch {
            logger.warning("clip files: sweep failed: \(error)")
        }
        return removed.count
    }

    /// What the API shows of a failure: what is wrong with the range, or which way the store
    /// failed, never a server path (the log has the whole error).
    static func reason(_ error: any Error) -> String {
        switch error {
        case ArchiveError.malformed(let detail): detail
        case ArchiveError.full: "the archive store is full"
        case ArchiveError.unavailable, ArchiveError.refused: "the archive store is unavailable"
        default: "the clip could not be made"
        }
    }
}
