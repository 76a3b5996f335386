import Delivery
import HTTPTypes
import Prometheus

/// Playback as metrics, told of every response by the playback path: responses by what was asked
/// (`kind`, a handful of values) and how it was answered (`status`, by class), bytes sent, and how
/// long answers took (a request held at the live edge takes up to three target durations).
/// Every series exists from the start, so a response costs an index and an increment.
public final class PlaybackMetrics: PlaybackObserver {
    /// By kind (its index in `allCases`), then by status class.
    private let responses: [[Counter]]
    private let bytes: [Counter]
    private let durations: [DurationHistogram]
    private let kinds: [PlaybackRouteKind: Int]

    /// Status classes counted: 2xx to 5xx (`1xx` answers are never given).
    static let statusClasses = 2...5

    /// From a part answered at once to a held request that timed out.
    static let buckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8),
    ]

    public init(registry: PrometheusCollectorRegistry) {
        var responses: [[Counter]] = []
        var bytes: [Counter] = []
        var durations: [DurationHistogram] = []
        for kind in PlaybackRouteKind.allCases {
            let labels = [("kind", kind.rawValue)]
            responses.append(Self.statusClasses.map { status in
                registry.makeCounter(
                    descriptor: MetricNameDescriptor(
                        metricName: "antenne_playback_responses", unitName: "total",
                        helpText: "Playback responses, by what was asked and status class"),
                    labels: labels + [("status", "\(status)xx")])
            })
            bytes.append(registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "antenne_playback_sent_bytes", unitName: "total", helpText: "Playback body bytes sent (Content-Length)"),
                labels: labels))
            durations.append(registry.makeDurationHistogram(
                descriptor: MetricNameDescriptor(
                    metricName: "antenne_playback_response", unitName: "seconds",
                    helpText: "From a playback request's head to its response written, held requests included"),
                labels: labels, buckets: Self.buckets))
        }
        self.responses = responses
        self.bytes = bytes
        self.durations = durations
        kinds = Dictionary(uniqueKeysWithValues: PlaybackRouteKind.allCases.enumerated().map { ($1, $0) })
    }

    public func responded(_ event: PlaybackEvent) {
        guard let kind = kinds[event.kind] else { return }
        let status = event.status.code / 100
        if Self.statusClasses.contains(status) { responses[kind][status - Self.statusClasses.lowerBound].increment() }
        bytes[kind].increment(by: Int64(event.bytes))
        durations[kind].record(event.duration)
    }
}
