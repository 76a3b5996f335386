import NIOConcurrencyHelpers
import Prometheus

/// `/metrics`: the Prometheus exposition (text format 0.0.4) of a `PrometheusCollectorRegistry`
/// from swift-prometheus.
///
/// The server's components keep their own counters and statuses (a packager's segments, a
/// transcoder's speed, the archive writer's queue); at each scrape the collectors read them and
/// the exposition brings the registry up to date: a gauge takes the value read, a counter grows
/// by what it grew since the last scrape (a component that started again from zero restarts its
/// counter, which Prometheus reads as a reset), and a series no collector reports any more (a
/// deleted channel) leaves the registry.
public final class MetricsExposition: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let collectors: [@Sendable (inout MetricSamples) -> Void]
    private let series = NIOLockedValueBox<[MetricSamples.Key: Series]>([:])

    private enum Series {
        case gauge(Gauge)
        case counter(Counter, last: Int64)
    }

    /// - Parameter collectors: each adds the current samples of one component.
    public init(collectors: [@Sendable (inout MetricSamples) -> Void]) {
        self.collectors = collectors
    }

    /// The exposition of every sample, read now.
    public func render() -> String {
        var samples = MetricSamples()
        for collect in collectors { collect(&samples) }
        series.withLockedValue { series in
            var seen = Set<MetricSamples.Key>()
            for sample in samples.all {
                seen.insert(sample.key)
                update(&series, with: sample)
            }
            for (key, gone) in series where !seen.contains(key) {
                switch gone {
                case .gauge(let gauge): registry.unregisterGauge(gauge)
                case .counter(let counter, _): registry.unregisterCounter(counter)
                }
                series[key] = nil
            }
        }
        return registry.emitToString()
    }

    private func update(_ series: inout [MetricSamples.Key: Series], with sample: MetricSamples.Sample) {
        let key = sample.key
        switch (sample.value, series[key]) {
        case (.gauge(let value), .gauge(let gauge)?):
            gauge.set(to: value)
        case (.gauge(let value), _):
            let gauge = registry.makeGauge(name: key.name, labels: key.labels, help: sample.help)
            gauge.set(to: value)
            series[key] = .gauge(gauge)
        case (.counter(let value), .counter(let counter, let last)?):
            if value < last {
                counter.reset()
                counter.increment(by: value)
            } else if value > last {
                counter.increment(by: value - last)
            }
            series[key] = .counter(counter, last: value)
        case (.counter(let value), _):
            let counter = registry.makeCounter(name: key.name, labels: key.labels, help: sample.help)
            counter.increment(by: value)
            series[key] = .counter(counter, last: value)
        }
    }
}

/// The samples of one scrape.
public struct MetricSamples: Sendable {
    enum Value: Sendable {
        case gauge(Double)
        /// A count: whole, and never negative.
        case counter(Int64)
    }

    struct Key: Hashable, Sendable {
        var name: String
        var labelPairs: [String]

        var labels: [(String, String)] {
            stride(from: 0, to: labelPairs.count, by: 2).map { (labelPairs[$0], labelPairs[$0 + 1]) }
        }
    }

    struct Sample: Sendable {
        var key: Key
        var help: String
        var value: Value
    }

    private(set) var all: [Sample] = []

    public init() {}

    public mutating func gauge(_ name: String, _ help: String, _ value: Double, labels: [(String, String)] = []) {
        add(name, help, labels, .gauge(value))
    }

    public mutating func counter(_ name: String, _ help: String, _ value: some BinaryInteger, labels: [(String, String)] = []) {
        add(name, help, labels, .counter(Int64(clamping: max(0, value))))
    }

    private mutating func add(_ name: String, _ help: String, _ labels: [(String, String)], _ value: Value) {
        all.append(Sample(key: Key(name: name, labelPairs: labels.flatMap { [$0.0, $0.1] }), help: help, value: value))
    }
}
