/// The figures of one measure, printed as one JSON line.
struct LoadReport {
    var viewers: Int
    var seconds: Double
    /// The viewers' counts at the start and at the end of the measure.
    var before: Crowd.Snapshot
    var after: Crowd.Snapshot
    /// The probe's counts over the measure: its requests reached the origin.
    var probeRequests: Int
    /// Part available at the origin -> part delivered to a viewer, milliseconds, sorted.
    var latencies: [Double]
    /// The generator's own CPU seconds over the measure.
    var cpuSeconds: Double

    var requests: Int { after.counts.requests - before.counts.requests }

    var json: String {
        let parts = after.counts.parts - before.counts.parts
        let watching = zip(before.parts, after.parts).count { $1 > $0 }
        let failures = ViewerFailure.allCases.map { "\"\($0.name)\":\(after.counts.failures[$0.rawValue])" }.joined(separator: ",")
        let fields: [(String, String)] = [
            ("viewers", "\(viewers)"),
            ("seconds", number(seconds)),
            ("requests", "\(requests)"),
            ("viewer_rps", number(Double(requests) / seconds)),
            ("parts", "\(parts)"),
            ("viewers_with_parts", "\(watching)"),
            ("errors", "\(after.counts.errors)"),
            ("error_kinds", "{\(failures)}"),
            ("latency_samples", "\(latencies.count)"),
            ("p50_ms", percentile(0.5)),
            ("p99_ms", percentile(0.99)),
            ("max_ms", latencies.last.map(number) ?? "null"),
            ("bytes_per_s", number(Double(after.counts.bytes - before.counts.bytes) / seconds)),
            ("probe_requests", "\(probeRequests)"),
            ("cpu_s", number(cpuSeconds)),
            ("cpu_us_per_request", requests > 0 ? number(cpuSeconds * 1e6 / Double(requests)) : "null"),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// The value below which a share `q` of the latencies fall; null without any.
    private func percentile(_ q: Double) -> String {
        guard !latencies.isEmpty else { return "null" }
        return number(latencies[min(latencies.count - 1, Int(q * Double(latencies.count)))])
    }

    private func number(_ value: Double) -> String {
        value.isFinite ? String((value * 1000).rounded() / 1000) : "null"
    }
}
