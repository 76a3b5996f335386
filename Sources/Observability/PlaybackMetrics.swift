import Delivery
import HTTPTypes
import Prometheus

/// Playback as metrics, told of every response by the playback path: responses by what was asked
/// (`kind`, a handful of values) and how it was answered (`status`, by class), bytes sent, and how
/// long answers took (a request held at the live edge takes up to three target durations).
/// Every series exists from the start, so a response costs a lookup and an increment.
public final class PlaybackMetrics: PlaybackObserver {
    private struct Key: Hashable {
        var kind: PlaybackRouteKind
        var status: Int
    }

    private let responses: [Key: Counter]
    private let bytes: [PlaybackRouteKind: Counter]
    private let durations: [PlaybackRouteKind: DurationHistogram]

    /// Status classes counted: 2xx to 5xx (`1xx` answers are never given).
    static let statusClasses = 2...5

    /// From a part answered at once to a held request that timed out.
    static let buckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8),
    ]

    public init(registry: PrometheusCollectorRegistry) {
        var responses: [Key: Counter] = [:]
        var bytes: [PlaybackRouteKind: Counter] = [:]
        var durations: [PlaybackRouteKind: DurationHistogram] = [:]
        for kind in PlaybackRouteKind.allCases {
            let labels = [("kind", kind.rawValue)]
            for status in Self.statusClasses {
                responses[Key(kind: kind, status: status)] = registry.makeCounter(
                    descriptor: MetricNameDescriptor(
                        metricName: "antenne_playback_responses", unitName: "total",
                        helpText: "Playback responses, by what was asked and status class"),
                    labels: labels + [("status", "\(status)xx")])
            }
            bytes[kind] = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "antenne_playback_sent_bytes", unitName: "total", helpText: "Playback body bytes sent (Content-Length)"),
                labels: labels)
            durations[kind] = registry.makeDurationHistogram(
                descriptor: MetricNameDescriptor(
                    metricName: "antenne_playback_response", unitName: "seconds",
                    helpText: "From a playback request's head to its response written, held requests included"),
                labels: labels, buckets: Self.buckets)
        }
        self.responses = responses
        self.bytes = bytes
        self.durations = durations
    }

    public func responded(_ event: PlaybackEvent) {
        responses[Key(kind: event.kind, status: event.status.code / 100)]?.increment()
        bytes[event.kind]?.increment(by: Int64(event.bytes))
        durations[event.kind]?.record(event.duration)
    }
}
