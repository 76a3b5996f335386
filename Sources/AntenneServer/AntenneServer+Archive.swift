import Archive
import Control
import Foundation

extension AntenneServer {
    /// The archived channels and what each keeps: configured channels by the server's policy,
    /// control-plane channels by their archive settings, with their retained recordings and
    /// clips pinned. Channels are found in the archive itself, so a channel that is offline (or
    /// has not published since a restart) is kept in check too; an archive whose channel no
    /// longer exists is left alone.
    func retentionTargets() async -> [RetentionService.Target] {
        let names: [String]
        do {
            names = try await archiveStore.listDirectories(prefix: "")
        } catch {
            logger.warning("archive retention: cannot list the archive's channels: \(error)")
            return []
        }
        let configured = Dictionary(configuration.channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var targets: [RetentionService.Target] = []
        for name in names {
            if configured[name] != nil {
                targets.append(RetentionService.Target(channel: name, policy: configuration.archiveRetention, pinned: []))
                continue
            }
            guard let store = controlStore else { continue }
            do {
                guard let channel = try await store.channel(named: name) else { continue }
                let policy = RetentionPolicy(
                    maximumAge: channel.archive.retentionSeconds.map { Int64($0) * 1_000 },
                    maximumBytes: channel.archive.retentionBytes)
                guard !policy.keepsEverything else { continue }
                let pinned = try await store.pinnedRanges(channelID: channel.id).map {
                    $0.lowerBound.unixMilliseconds..<($0.upperBound.unixMilliseconds + 1)
                }
                targets.append(RetentionService.Target(channel: name, policy: policy, pinned: pinned) { [logger] oldest in
                    // Session recordings wholly before what is left can no longer play.
                    guard let oldest else { return }
                    do {
                        try await store.deleteExpiredRecordings(channelID: channel.id, endedBefore: Date(timeIntervalSince1970: Double(oldest) / 1000))
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

    /// Archive writes started failing (`failure`) or work again (nil): every running archived
    /// control-plane channel gets a `channel.unhealthy` webhook, once each way.
    /// (The writer has logged the failure and will log the recovery.)
    func archiveHealthChanged(_ failure: ArchiveError?) async {
        guard let store = controlStore else { return }
        let running = runtime.controlPlaneChannels
        let channels: [Control.Channel]
        do {
            channels = try await store.channels(ids: running.map(\.id)).filter(\.archive.enabled)
        } catch {
            logger.warning("archive health: channel lookup failed: \(error)")
            return
        }
        let detail = ArchiveHealthDetail(failure)
        for channel in channels {
            await authorizer.emit(.channelUnhealthy, channel: channel, detail: .archive(detail))
        }
    }
}
