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
        case counter(Counter, last: MetricSamples.Count)
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
                counter.add(value)
            } else if value > last {
                counter.add(value.minus(last))
            }
            series[key] = .counter(counter, last: value)
        case (.counter(let value), _):
            let counter = registry.makeCounter(name: key.name, labels: key.labels, help: sample.help)
            counter.add(value)
            series[key] = .counter(counter, last: value)
        }
    }
}

/// The samples of one scrape.
public struct MetricSamples: Sendable {
    enum Value: Sendable {
        case gauge(Double)
        case counter(Count)
    }

    /// What a counter holds: never negative, and of one form for the life of its series.
    enum Count: Sendable, Comparable {
        /// Events, bytes: exposed as a whole number.
        case whole(Int64)
        /// Seconds: exposed as a float.
        case fraction(Double)

        func minus(_ other: Count) -> Count {
            switch (self, other) {
            case (.whole(let a), .whole(let b)): .whole(a - b)
            default: .fraction(value - other.value)
            }
        }

        var value: Double {
            switch self {
            case .whole(let count): Double(count)
            case .fraction(let amount): amount
            }
        }

        static func < (lhs: Count, rhs: Count) -> Bool {
            switch (lhs, rhs) {
            case (.whole(let a), .whole(let b)): a < b
            default: lhs.value < rhs.value
            }
        }
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
        add(name, help, labels, .counter(.whole(Int64(clamping: max(0, value)))))
    }

    /// A counter of seconds (an amount that need not be whole).
    public mutating func counter(_ name: String, _ help: String, seconds value: Double, labels: [(String, String)] = []) {
        add(name, help, labels, .counter(.fraction(value.isFinite ? max(0, value) : 0)))
    }

    private mutating func add(_ name: String, _ help: String, _ labels: [(String, String)], _ value: Value) {
        all.append(Sample(key: Key(name: name, labelPairs: labels.flatMap { [$0.0, $0.1] }), help: help, value: value))
    }
}

extension Counter {
    fileprivate func add(_ count: MetricSamples.Count) {
        switch count {
        case .whole(let amount): increment(by: amount)
        case .fraction(let amount): increment(by: amount)
        }
    }
}
