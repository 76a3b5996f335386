import Archive
import Control
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import ServiceLifecycle

/// Makes the clips asked for through the API, one at a time: claims a pending clip (several
/// servers on one database each take different ones), cuts it from the archive with
/// ``ClipMaker``, and marks it ready or failed, which sends `clip.ready`. Progress is written as
/// it goes, and renews the claim.
struct ClipService: Service {
    let store: NIOLockedValueBox<ControlStore?>
    let maker: ClipMaker
    let archive: any ArchiveStore
    let logger: Logger
    /// How often the files of deleted clips (and of deleted channels' clips) are removed.
    var sweepInterval: Duration = .seconds(600)

    /// How often a server with nothing to do asks a shared database for a clip asked of another
    /// server (one busy with a clip of its own); a clip asked of this server starts at once.
    static let pollInterval: Duration = .seconds(2)
    /// The same on a database no other server uses: only a clip whose claim ran out (its job
    /// crashed) is found this way, and a claim lasts ``lease``.
    static let unsharedPollInterval: Duration = .seconds(60)
    /// A claim lasts this long unless progress renews it; then another server may take the clip.
    static let lease: Double = 120

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var nextSweep = ContinuousClock.now
            while !Task.isCancelled {
                if ContinuousClock.now >= nextSweep {
                    await sweep()
                    nextSweep = ContinuousClock.now + sweepInterval
                }
                let store = store.withLockedValue { $0 }
                let seen = store?.clipsAsked.value ?? 0
                if await makeNext() { continue }
                // Idle: wait for a clip asked here, the next poll or the next sweep.
                let untilSweep = max(.zero, nextSweep - ContinuousClock.now)
                if let store {
                    let poll = store.location.isShared ? Self.pollInterval : Self.unsharedPollInterval
                    await store.clipsAsked.wait(whileEqualTo: seen, timeout: min(poll, untilSweep))
                } else {
                    try? await MultiThreadedEventLoopGroup.singleton.sleep(for: min(Self.pollInterval, untilSweep))
                }
            }
        }
    }

    /// Makes one pending clip; false if there was none (or the database did not answer).
    func makeNext() async -> Bool {
        guard let store = store.withLockedValue({ $0 }) else { return false }
        let job: ClipJob
        do {
            guard let claimed = try await store.claimPendingClips(limit: 1, lease: Self.lease).first else { return false }
            job = claimed
        } catch {
            logger.warning("clip jobs: claim failed: \(error)")
            return false
        }
        let clip = job.clip
        let id = clip.id.lowercasedString
        let started = ContinuousClock.now
        do {
            let result = try await maker.make(
                id: id, channel: job.channelName, rendition: clip.rendition,
                start: clip.start.unixMilliseconds, end: clip.end.unixMilliseconds
            ) { [logger] progress in
                do {
                    _ = try await store.updateClipProgress(id: clip.id, progress: progress, lease: Self.lease)
                } catch {
                    logger.debug("clip progress not saved: \(error)")
                }
            }
            _ = try await store.finishClip(id: clip.id, size: result.size)
            logger.info("clip ready", metadata: [
                "clip": "\(id)", "channel": "\(job.channelName)", "bytes": "\(result.size)",
                "mediaSeconds": "\(result.milliseconds / 1000)", "took": "\(ContinuousClock.now - started)",
            ])
        } catch {
            logger.error("clip failed: \(error)", metadata: ["clip": "\(id)", "channel": "\(job.channelName)"])
            do {
                _ = try await store.failClip(id: clip.id, reason: Self.reason(error))
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
        guard let store = store.withLockedValue({ $0 }) else { return 0 }
        var removed: [ArchiveKey] = []
        do {
            for channel in try await archive.listDirectories(prefix: "") {
                for object in try await archive.list(prefix: "\(channel)/\(ClipMaker.directory)/") {
                    let name = object.key.components.last.map(String.init) ?? ""
                    guard name.hasSuffix(".mp4"), let id = UUID(uuidString: String(name.dropLast(4))) else { continue }
                    if try await store.clip(id: id) == nil { removed.append(object.key) }
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
