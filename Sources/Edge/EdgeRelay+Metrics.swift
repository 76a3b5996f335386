import Observability

extension EdgeRelay {
    /// The edge's pulls on `/metrics`: what it asks of its origins, and the channels it pulls.
    public var collector: @Sendable (inout MetricSamples) -> Void {
        { [statistics, directory, pool, cache] samples in
            let counts = statistics.snapshot
            samples.counter("antenne_edge_upstream_requests_total", "Requests sent to origins", counts.upstreamRequests)
            samples.counter("antenne_edge_upstream_failures_total", "Origin requests that failed with no other origin to move to", counts.upstreamFailures)
            samples.counter("antenne_edge_failovers_total", "Times the pulls moved to the next origin", counts.failovers)
            samples.counter("antenne_edge_upstream_bytes_total", "Bytes received from origins", counts.upstreamBytes)
            samples.counter("antenne_edge_channels_started_total", "Channels pulled since the start", counts.channelsStarted)
            samples.counter("antenne_edge_channels_dropped_total", "Channels no longer pulled for want of viewers", counts.channelsDropped)
            if let figures = cache?.figures {
                samples.counter("antenne_edge_cache_hits_total", "Pass-through requests answered from the disk cache", figures.hits)
                samples.counter("antenne_edge_cache_misses_total", "Pass-through requests the disk cache did not hold", figures.misses)
                samples.counter("antenne_edge_cache_write_failures_total", "Pass-through answers the disk cache could not write", figures.writeFailures)
                samples.gauge("antenne_edge_cache_bytes", "Bytes held in the disk cache", Double(figures.bytes))
            }
            for (index, origin) in pool.origins.enumerated() {
                samples.gauge("antenne_edge_origin_current", "1 for the origin pulls use now", index == pool.index ? 1 : 0, labels: [("origin", origin)])
            }
            for channel in directory.pulled {
                samples.gauge("antenne_channel_live", "1 while an encoder publishes", channel.isLive ? 1 : 0, labels: [("channel", channel.name)])
            }
        }
    }
}
