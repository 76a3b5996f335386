import Archive
import Foundation
import NIOPosix

/// The control plane is the archive's job store: it keeps the clips asked for, the channels'
/// archive settings and the recordings that pin their segments.
extension ControlStore: ArchiveJobStore {
    /// How often a server with nothing to do asks a shared database for a clip asked of another
    /// server (one busy with a clip of its own); a clip asked of this server starts at once.
    static let sharedClipPoll: Duration = .seconds(2)
    /// The same on a database no other server uses: only a clip whose claim ran out (its job
    /// crashed) is found this way, and a claim lasts ``ClipJobs/lease``.
    static let unsharedClipPoll: Duration = .seconds(60)

    public func claimNextClip(lease: Double) async throws -> ClipOrder? {
        guard let job = try await claimPendingClips(limit: 1, lease: lease).first else { return nil }
        let clip = job.clip
        return ClipOrder(
            id: clip.id, channel: job.channelName, rendition: clip.rendition,
            start: clip.start.unixMilliseconds, end: clip.end.unixMilliseconds)
    }

    public func clipProgressed(_ id: UUID, progress: Double, lease: Double) async throws {
        _ = try await updateClipProgress(id: id, progress: progress, lease: lease)
    }

    public func clipFinished(_ id: UUID, size: Int64) async throws {
        _ = try await finishClip(id: id, size: size)
    }

    public func clipFailed(_ id: UUID, reason: String) async throws {
        _ = try await failClip(id: id, reason: reason)
    }

    public func clipExists(_ id: UUID) async throws -> Bool {
        try await clip(id: id) != nil
    }

    public var clipOrderMark: Int { clipsAsked.value }

    public func waitForClipOrders(after mark: Int, atMost limit: Duration) async {
        let poll = location.isShared ? Self.sharedClipPoll : Self.unsharedClipPoll
        await clipsAsked.wait(whileEqualTo: mark, timeout: min(poll, limit))
    }

    public func retentionTargets(channels names: [String]) async -> [RetentionTarget] {
        var targets: [RetentionTarget] = []
        for name in names {
            do {
                guard let channel = try await channel(named: name) else { continue }
                let policy = RetentionPolicy(
                    maximumAge: channel.archive.retentionSeconds.map { Int64($0) * 1_000 },
                    maximumBytes: channel.archive.retentionBytes)
                guard !policy.keepsEverything else { continue }
                let pinned = try await pinnedRanges(channelID: channel.id).map {
                    $0.lowerBound.unixMilliseconds..<($0.upperBound.unixMilliseconds + 1)
                }
                targets.append(RetentionTarget(channel: name, policy: policy, pinned: pinned) { [logger] oldest in
                    // Session recordings wholly before what is left can no longer play.
                    guard let oldest else { return }
                    do {
                        _ = try await self.deleteExpiredRecordings(
                            channelID: channel.id, endedBefore: Date(timeIntervalSince1970: Double(oldest) / 1000))
                    } catch {
                        logger.warning("archive retention: expired recordings not deleted: \(error)", metadata: ["channel": "\(name)"])
                    }
                })
            } catch {
                logger.warning("archive retention: channel lookup failed: \(error)", metadata: ["channel": "\(name)"])
            }
        }
        return targets
    }
}
