import Delivery
import HTTPTypes
import Prometheus

/// Playback as metrics, told of every response by the playback path: responses by what was asked
/// (`kind`, a handful of values) and how it was answered (`status`, by class), bytes sent, and how
/// long answers took (a request held at the live edge takes up to three target durations).
/// Every series exists from the start, so a response costs an index and an increment.
///
/// `kind` is the ``PlaybackRouteKind``, except that a blocking playlist reload (`_HLS_msn`) is
/// `blockingReload`: it is held until its part exists, so its times are not a plain playlist's.
public final class PlaybackMetrics: PlaybackObserver {
    /// By kind (its index in ``kindLabels``), then by status class.
    private let responses: [[Counter]]
    private let bytes: [Counter]
    private let durations: [DurationHistogram]
    private let kinds: [PlaybackRouteKind: Int]
    /// Viewers and bytes by channel, if counted.
    private let audience: PlaybackAudience?

    /// Status classes counted: 2xx to 5xx (`1xx` answers are never given).
    static let statusClasses = 2...5

    /// The label of a blocking playlist reload.
    static let blockingReload = "blockingReload"

    /// Every value of the `kind` label: the route kinds, then ``blockingReload``.
    static let kindLabels = PlaybackRouteKind.allCases.map(\.rawValue) + [blockingReload]

    /// From a part answered at once to a held request that timed out.
    static let buckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8),
    ]

    public init(registry: PrometheusCollectorRegistry, audience: PlaybackAudience? = nil) {
        var responses: [[Counter]] = []
        var bytes: [Counter] = []
        var durations: [DurationHistogram] = []
        for kind in Self.kindLabels {
            let labels = [("kind", kind)]
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
        self.audience = audience
        kinds = Dictionary(uniqueKeysWithValues: PlaybackRouteKind.allCases.enumerated().map { ($1, $0) })
    }

    public func responded(_ event: PlaybackEvent) {
        guard let routeKind = kinds[event.kind] else { return }
        let kind = event.blockingReload ? Self.kindLabels.count - 1 : routeKind
        let status = event.status.code / 100
        if Self.statusClasses.contains(status) { responses[kind][status - Self.statusClasses.lowerBound].increment() }
        bytes[kind].increment(by: Int64(event.bytes))
        durations[kind].record(event.duration)
        audience?.responded(event)
    }
}
