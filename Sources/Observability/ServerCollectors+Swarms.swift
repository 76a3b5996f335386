import Tracker

extension ServerCollectors {
    /// The P2P tracker's swarms: peers in each, by channel and rendition.
    public static func swarms(_ hub: TrackerHub) -> @Sendable (inout MetricSamples) -> Void {
        { samples in
            for (key, size) in hub.swarmSizes.sorted(by: { $0.key.description < $1.key.description }) {
                samples.gauge("antenne_p2p_swarm_peers", "Players connected to each P2P swarm", Double(size),
                              labels: [("channel", key.channel), ("rendition", key.rendition)])
            }
        }
    }
}
