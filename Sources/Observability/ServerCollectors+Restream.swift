import Restream

extension ServerCollectors {
    /// Each restream destination's push (README "Restreaming"), labelled by channel and
    /// destination id: never by URL, whose path or query may hold the stream key.
    public static func restream(_ restreamer: Restreamer) -> @Sendable (inout MetricSamples) -> Void {
        { samples in
            for pusher in restreamer.pushers {
                let labels = [("channel", pusher.channel), ("destination", pusher.destination.id.uuidString.lowercased())]
                let status = pusher.status
                samples.gauge("antenne_restream_up", "1 while bytes go out to the destination", status.state == .pushing ? 1 : 0, labels: labels)
                samples.counter("antenne_restream_bytes_total", "Bytes written to the destination, every attempt", status.bytesSent, labels: labels)
                samples.counter("antenne_restream_dropped_samples_total", "Source samples not pushed (the destination too slow, or not muxable)",
                                status.droppedSamples, labels: labels)
                samples.counter("antenne_restream_restarts_total", "Pushes started again after a failure", status.restarts, labels: labels)
            }
        }
    }
}
