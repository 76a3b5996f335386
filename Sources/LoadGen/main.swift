// antenne-loadgen: simulated LL-HLS viewers on one or two event loops, for bench/delivery.py and
// the edge tests. It prints `{"event":"measuring"}` when the measure starts,
// `{"event":"measured"}` when it ends, then the figures as one JSON line (`LoadReport`).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

func emit(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { bytes in _ = write(1, bytes.baseAddress, bytes.count) }
}

func sleep(seconds: Double) {
    usleep(UInt32(seconds * 1_000_000))
}

/// This process's CPU time, user and system, in seconds.
func cpuSeconds() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

let options: LoadOptions
do {
    options = try LoadOptions(arguments: CommandLine.arguments.dropFirst())
} catch {
    var text = "antenne-loadgen: \(error)\n\(LoadOptions.usage)\n"
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    exit(2)
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: options.threads + 1)
let loops = Array(group.makeIterator())
let timeout = TimeAmount.nanoseconds(Int64(options.timeout * 1e9))

/// Viewer `i` goes to loop `1 + i % threads`; loop 0 is the probe's.
func crowd(on index: Int, role: Viewer.Role, url: String, count: Int) -> NIOLoopBound<Crowd> {
    let loop = loops[index]
    let target = Target(url: url)!
    return try! loop.submit {
        NIOLoopBound(Crowd(viewers: (0..<count).map { _ in Viewer(role: role, target: target, eventLoop: loop, timeout: timeout) }), eventLoop: loop)
    }.wait()
}

let crowds = (0..<options.threads).map { t in
    crowd(on: 1 + t, role: .viewer, url: options.url, count: options.viewers / options.threads + (t < options.viewers % options.threads ? 1 : 0))
}
let probes = options.origin.map { [crowd(on: 0, role: .probe, url: $0, count: 1)] } ?? []

func onLoops<T: Sendable>(_ crowds: [NIOLoopBound<Crowd>], _ body: @escaping @Sendable (Crowd) -> T) -> [T] {
    crowds.map { crowd in try! crowd.eventLoop.submit { body(crowd.value) }.wait() }
}

// Staggered starts: one viewer every ramp / viewers seconds, across the loops.
let interval = TimeAmount.nanoseconds(Int64(options.ramp * 1e9) * Int64(options.threads) / Int64(options.viewers))
_ = onLoops(probes, { $0.start(interval: .zero) })
_ = onLoops(crowds, { $0.start(interval: interval) })
sleep(seconds: options.ramp + options.warmup)

func snapshot(_ crowds: [NIOLoopBound<Crowd>]) -> Crowd.Snapshot {
    onLoops(crowds, { $0.snapshot() }).reduce(Crowd.Snapshot()) { Crowd.Snapshot(counts: $0.counts + $1.counts, parts: $0.parts + $1.parts) }
}

let before = snapshot(crowds)
let probeBefore = snapshot(probes)
let cpuBefore = cpuSeconds()
let start = NIODeadline.now()
emit(#"{"event":"measuring"}"#)
sleep(seconds: options.seconds)
let after = snapshot(crowds)
let probeAfter = snapshot(probes)
let cpu = cpuSeconds() - cpuBefore
let end = NIODeadline.now()
emit(#"{"event":"measured"}"#)

// Parts that were available before the measure may arrive in it: the probe's arrivals are taken
// from the start of the run, the viewers' from the measure.
let startNanoseconds = start.uptimeNanoseconds
let endNanoseconds = end.uptimeNanoseconds
let delivered = onLoops(crowds, { $0.arrivals(from: startNanoseconds, to: endNanoseconds) }).flatMap { $0 }
var available: [PartAddress: UInt64] = [:]
for arrival in onLoops(probes, { $0.arrivals(from: 0, to: .max) }).flatMap({ $0 }) {
    available[arrival.address] = arrival.nanoseconds
}
_ = onLoops(crowds + probes, { $0.stop() })
let latencies = delivered.compactMap { arrival in
    available[arrival.address].map { (Double(arrival.nanoseconds) - Double($0)) / 1e6 }
}.sorted()
let report = LoadReport(
    viewers: options.viewers, seconds: Double(end.uptimeNanoseconds - start.uptimeNanoseconds) / 1e9,
    before: before, after: after, probeRequests: probeAfter.counts.requests - probeBefore.counts.requests,
    latencies: latencies, cpuSeconds: cpu)
emit(report.json)
do {
    try group.syncShutdownGracefully()
} catch {
    var text = "antenne-loadgen: shutting down: \(error)\n"
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}
