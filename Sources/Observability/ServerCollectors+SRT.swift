import SRTIngest

extension ServerCollectors {
    /// libsrt's figures of each live SRT publish, by channel and input (primary or backup): how
    /// the link to each encoder is doing.
    public static func srt(_ publishers: @escaping @Sendable () -> [SRTPublisherStatistics]) -> @Sendable (inout MetricSamples) -> Void {
        { samples in
            for link in publishers() {
                let labels = [("channel", link.channel), ("input", link.input.rawValue)]
                samples.gauge("antenne_srt_rtt_seconds", "Smoothed round-trip time to the SRT publisher", link.rttMilliseconds / 1_000, labels: labels)
                samples.gauge("antenne_srt_receive_bytes_per_second", "SRT receive rate over the last interval", link.receiveRateMbps * 1_000_000 / 8, labels: labels)
                samples.gauge("antenne_srt_latency_seconds", "SRT receiver latency agreed with the publisher", Double(link.latencyMilliseconds) / 1_000, labels: labels)
                samples.counter("antenne_srt_packets_received_total", "SRT packets received from the publisher", link.packetsReceived, labels: labels)
                samples.counter("antenne_srt_packets_lost_total", "SRT packets reported lost (retransmission may still recover them)", link.packetsLost, labels: labels)
                samples.counter("antenne_srt_packets_retransmitted_total", "SRT packets received again after a loss", link.packetsRetransmitted, labels: labels)
                samples.counter("antenne_srt_packets_dropped_total", "SRT packets that came too late to play", link.packetsDropped, labels: labels)
            }
        }
    }
}
