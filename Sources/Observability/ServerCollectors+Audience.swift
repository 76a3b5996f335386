import Packager

extension ServerCollectors {
    /// Viewers and bytes out of each channel with a packager (``PlaybackAudience``).
    public static func audience(_ audience: PlaybackAudience, packagers: PackagerRegistry) -> @Sendable (inout MetricSamples) -> Void {
        { samples in
            let snapshot = audience.snapshot(channels: Set(packagers.all.map(\.name)))
            for (channel, renditions) in snapshot.viewers.sorted(by: { $0.key < $1.key }) {
                for (rendition, count) in renditions.sorted(by: { $0.key < $1.key }) {
                    samples.gauge("antenne_playback_viewers", "Viewer sessions of a rendition: clients it answered within two segment targets",
                                  Double(count), labels: [("channel", channel), ("rendition", rendition)])
                }
            }
            for (channel, count) in snapshot.channelViewers.sorted(by: { $0.key < $1.key }) {
                let labels = [("channel", channel)]
                samples.gauge("antenne_playback_channel_viewers", "Distinct viewers of a channel, all renditions, within two segment targets",
                              Double(count), labels: labels)
                samples.counter("antenne_playback_channel_sent_bytes_total", "Playback body bytes sent by a live channel",
                                snapshot.sentBytes[channel] ?? 0, labels: labels)
            }
            samples.gauge("antenne_playback_viewer_sessions", "Viewer sessions tracked", Double(snapshot.tracked))
            samples.counter("antenne_playback_viewer_sessions_untracked_total", "Viewer sessions not tracked: the table was full",
                            snapshot.untracked)
        }
    }
}
