import NIOCore

/// The command line: `antenne-loadgen --url URL [--origin URL] [--viewers N] [--seconds S]
/// [--warmup S] [--ramp S] [--threads N] [--timeout S]`.
struct LoadOptions: Sendable {
    /// The media playlist the viewers watch (an edge's, a cache's or an origin's).
    var url = ""
    /// The same media playlist at the origin, for the availability probe; none: no latencies.
    var origin: String?
    var viewers = 1
    /// Seconds measured, after the ramp and the warm-up.
    var seconds = 10.0
    /// Seconds after the last viewer started before the measure begins (viewers get in step).
    var warmup = 2.0
    /// Seconds over which the viewers' starts are spread.
    var ramp = 1.0
    /// Event loops for the viewers (the probe has one of its own).
    var threads = 1
    /// Seconds without a byte under a request before it counts as failed. A blocking reload is
    /// held at most about three part targets (RFC 8216bis §6.2.5.2), well under this.
    var timeout = 10.0

    static let usage = "usage: antenne-loadgen --url http://HOST:PORT/hls/CHANNEL/RENDITION/index.m3u8 [--origin URL] "
        + "[--viewers N] [--seconds S] [--warmup S] [--ramp S] [--threads N] [--timeout S]"

    init(arguments: some Sequence<String>) throws(LoadGenError) {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw .usage("\(flag) needs a value") }
            func number(_ range: ClosedRange<Double>) throws(LoadGenError) -> Double {
                guard let number = Double(value), range.contains(number) else { throw .usage("\(flag) \(value): not in \(range)") }
                return number
            }
            switch flag {
            case "--url": url = value
            case "--origin": origin = value
            // 60,000 connections is more than one address pair's ephemeral ports.
            case "--viewers": viewers = Int(try number(1...60_000))
            case "--seconds": seconds = try number(0.1...86_400)
            case "--warmup": warmup = try number(0...3_600)
            case "--ramp": ramp = try number(0...3_600)
            case "--threads": threads = Int(try number(1...64))
            case "--timeout": timeout = try number(0.1...600)
            default: throw .usage("unknown flag \(flag)")
            }
        }
        guard Target(url: url) != nil else { throw .usage("--url \(url): not http://HOST:PORT/PATH") }
        if let origin, Target(url: origin) == nil { throw .usage("--origin \(origin): not http://HOST:PORT/PATH") }
    }
}

/// Why the load generator cannot run.
enum LoadGenError: Error {
    case usage(String)
}
