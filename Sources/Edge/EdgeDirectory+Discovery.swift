import Manifests
import MediaCore
import Packager

/// Discovery: what a channel is made of, read from an origin's multivariant playlist and its
/// first media playlist; then one pull per rendition, until every rendition has a segment.
extension EdgeDirectory {
    func discover(_ name: String) async {
        let started = ContinuousClock.now
        let upstream = ChannelUpstream(channel: name, pool: pool, signer: signer, now: now)
        var result: (EdgeChannel, [Task<Void, Never>])?
        // The current origin first, then the others: one may have the channel while another
        // does not (its encoder has not reconnected yet). Only an origin that fails moves the pulls.
        let first = pool.index
        for offset in pool.origins.indices where result == nil && !Task.isCancelled {
            let index = (first + offset) % pool.origins.count
            do {
                result = try await pull(name, upstream: upstream, from: index)
            } catch {
                if error.isOriginFailure { pool.failover(from: index, because: error) }
                logger.debug("channel discovery failed", metadata: ["channel": "\(name)", "error": "\(error)"])
            }
        }
        guard let result, !Task.isCancelled else {
            result?.1.forEach { $0.cancel() }
            settle(name, nil)
            return
        }
        pool.statistics.count(\.channelsStarted)
        // Known before the first viewer joins the edge's tracker.
        await result.0.refreshP2P(limits: limits)
        settle(name, result)
        let channel = result.0
        // The first requests wait until a player can start: HOLD-BACK, three segments, in every
        // rendition (RFC 8216bis §4.4.3.8), as the origin announces its channels.
        while !channel.holds(segments: limits.startSegments), ContinuousClock.now - started < Self.discoveryTimeout, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(20))
        }
        logger.info("channel pulled", metadata: [
            "channel": "\(name)", "renditions": "\(channel.renditions.map(\.name).joined(separator: ","))",
            "ready": "\(channel.holds(segments: limits.startSegments))",
        ])
    }

    /// The channel's renditions and timing from origin `index`, and their pulls started.
    private func pull(_ name: String, upstream: ChannelUpstream, from index: Int) async throws(EdgeError) -> (EdgeChannel, [Task<Void, Never>]) {
        let master = try await upstream.get("master.m3u8", from: index, timeout: Self.discoveryTimeout, limit: limits.playlistBytes)
        guard master.isOK else { throw .status(url: "\(name)/master.m3u8", code: master.status) }
        let multivariant: MultivariantPlaylist
        do {
            multivariant = try MultivariantPlaylist.parse(String(buffer: master.body), limits: limits.playlistLimits)
        } catch {
            throw .playlist(url: "\(name)/master.m3u8", error)
        }
        let (hints, audioOnlyVariant) = try RenditionHints.renditions(of: multivariant)
        guard let first = hints.first else { throw .unusable(url: "\(name)/master.m3u8", reason: "no rendition") }
        guard hints.count <= limits.renditions else {
            throw .unusable(url: "\(name)/master.m3u8", reason: "\(hints.count) renditions, over the limit of \(limits.renditions)")
        }
        let media = try await upstream.get("\(first.name)/index.m3u8", from: index, timeout: Self.discoveryTimeout, limit: limits.playlistBytes)
        guard media.isOK else { throw .status(url: "\(name)/\(first.name)/index.m3u8", code: media.status) }
        let playlist: MediaPlaylist
        do {
            playlist = try MediaPlaylist.parse(String(buffer: media.body), timescale: 1_000, limits: limits.playlistLimits)
        } catch {
            throw .playlist(url: "\(name)/\(first.name)/index.m3u8", error)
        }
        let configuration = Self.configuration(of: playlist)
        let renditions = hints.map { LiveRendition(name: $0.name, configuration: configuration) }
        let channel = EdgeChannel(name: name, configuration: configuration, audioOnlyVariant: audioOnlyVariant,
                                  renditions: renditions, upstream: upstream)
        let pulls = zip(renditions, hints).map { rendition, hints in
            let pull = RenditionPull(rendition: rendition, hints: hints, upstream: upstream, configuration: configuration,
                                     limits: limits, logger: logger, now: now)
            return Task { await pull.run() }
        }
        return (channel, pulls)
    }

    /// The origin's timing as its playlist shows it: the part target (`EXT-X-PART-INF`), the
    /// segment target (`EXT-X-TARGETDURATION`: the target, unless a segment ever ran longer);
    /// the window is the edge's own.
    static func configuration(of playlist: MediaPlaylist) -> PackagerConfiguration {
        var configuration = PackagerConfiguration()
        configuration.segmentTarget = MediaTime(ticks: Int64(max(1, playlist.targetDuration)) * 1_000, timescale: 1_000)
        if let part = playlist.partTarget {
            let limits = PackagerConfiguration.partTargetLimits
            let milliseconds = min(max(part.rescaled(to: 1_000).ticks, limits.lowerBound.milliseconds), limits.upperBound.milliseconds)
            configuration.partTarget = MediaTime(ticks: milliseconds, timescale: 1_000)
        }
        return configuration
    }
}
