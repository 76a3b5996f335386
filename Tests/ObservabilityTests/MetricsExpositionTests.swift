import NIOConcurrencyHelpers
import Observability
import Testing

@Suite struct MetricsExpositionTests {
    /// What the collector reports at the next scrape, per channel: (live, segments).
    final class Source: Sendable {
        let channels = NIOLockedValueBox<[String: (live: Bool, segments: Int)]>([:])

        var collector: @Sendable (inout MetricSamples) -> Void {
            { [channels] samples in
                for (name, channel) in channels.withLockedValue({ $0 }).sorted(by: { $0.key < $1.key }) {
                    samples.gauge("test_live", "1 while live", channel.live ? 1 : 0, labels: [("channel", name)])
                    samples.counter("test_segments_total", "Segments made", channel.segments, labels: [("channel", name)])
                }
            }
        }
    }

    @Test func gaugesTakeTheValueReadAndCountersFollowTheirComponent() {
        let source = Source()
        let exposition = MetricsExposition(collectors: [source.collector])
        source.channels.withLockedValue { $0 = ["a": (true, 3), "b": (false, 0)] }
        let first = exposition.render()
        #expect(first.contains("# TYPE test_live gauge"), "\(first)")
        #expect(first.contains("# HELP test_segments_total Segments made"), "\(first)")
        #expect(first.contains(#"test_live{channel="a"} 1.0"#), "\(first)")
        #expect(first.contains(#"test_segments_total{channel="a"} 3"#), "\(first)")
        #expect(first.contains(#"test_segments_total{channel="b"} 0"#), "\(first)")

        source.channels.withLockedValue { $0 = ["a": (false, 7), "b": (true, 2)] }
        let second = exposition.render()
        #expect(second.contains(#"test_live{channel="a"} 0.0"#), "\(second)")
        #expect(second.contains(#"test_segments_total{channel="a"} 7"#), "\(second)")
        #expect(second.contains(#"test_segments_total{channel="b"} 2"#), "\(second)")
    }

    /// A channel that starts again counts from zero: the counter restarts (a reset to
    /// Prometheus), it never goes down by what the component lost.
    @Test func aComponentThatStartsAgainResetsItsCounter() {
        let source = Source()
        let exposition = MetricsExposition(collectors: [source.collector])
        source.channels.withLockedValue { $0 = ["a": (true, 10)] }
        _ = exposition.render()
        source.channels.withLockedValue { $0 = ["a": (true, 4)] }
        #expect(exposition.render().contains(#"test_segments_total{channel="a"} 4"#))
    }

    @Test func aSeriesNoCollectorReportsLeavesTheExposition() {
        let source = Source()
        let exposition = MetricsExposition(collectors: [source.collector])
        source.channels.withLockedValue { $0 = ["a": (true, 1), "gone": (true, 5)] }
        #expect(exposition.render().contains(#"channel="gone""#))
        source.channels.withLockedValue { $0 = ["a": (true, 1)] }
        let text = exposition.render()
        #expect(!text.contains(#"channel="gone""#), "\(text)")
        #expect(text.contains(#"test_segments_total{channel="a"} 1"#), "\(text)")
    }
}

extension MetricsExpositionTests {
    /// A counter of seconds follows its component as a whole count does.
    @Test func secondsCounters() {
        let total = NIOLockedValueBox(1.5)
        let exposition = MetricsExposition(collectors: [{ samples in
            samples.counter("test_stall_seconds_total", "Time stalled", seconds: total.withLockedValue { $0 })
        }])
        #expect(exposition.render().contains("test_stall_seconds_total 1.5"))
        total.withLockedValue { $0 = 4.25 }
        #expect(exposition.render().contains("test_stall_seconds_total 4.25"))
        total.withLockedValue { $0 = 0.5 }
        let text = exposition.render()
        #expect(text.contains("test_stall_seconds_total 0.5"), "\(text)")
    }
}
