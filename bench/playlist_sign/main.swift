import Foundation
import Manifests
import MediaCore

// Rendering cost of a live media playlist, public against signed (a token on every URI).
// Built by bench/playlist_sign.sh together with the Manifests sources; see bench/README.md.

/// A full live window as the packager serves it: 30 segments of 2 s (60 s), the parts of the
/// last three and of the segment in progress (0.5 s each), a preload hint and two rendition
/// reports.
func liveWindow() -> MediaPlaylist {
    let half = MediaTime(ticks: 45_000, timescale: 90_000)
    let map = MediaPlaylist.Map(uri: "init.mp4")
    func parts(_ msn: Int, _ count: Int) -> [MediaPlaylist.Part] {
        (0..<count).map { MediaPlaylist.Part(uri: "\(msn).\($0).m4s", duration: half, independent: $0 == 0) }
    }
    let first = 1_000
    let segments = (first..<first + 30).map { msn in
        MediaPlaylist.Segment(
            uri: "\(msn).m4s", duration: MediaTime(ticks: 180_000, timescale: 90_000), map: map,
            programDateTime: 1_735_689_600_000 + Int64(msn - first) * 2_000, parts: msn >= first + 27 ? parts(msn, 4) : [])
    }
    return MediaPlaylist(
        version: 9, targetDuration: 2, mediaSequence: Int64(first), independentSegments: true, partTarget: half,
        serverControl: .init(canBlockReload: true, canSkipUntil: MediaTime(ticks: 12, timescale: 1),
                             holdBack: MediaTime(ticks: 6, timescale: 1), partHoldBack: MediaTime(ticks: 3, timescale: 2)),
        segments: segments,
        inProgressSegment: .init(map: map, programDateTime: 1_735_689_660_000, parts: parts(first + 30, 2)),
        preloadHint: .init(type: .part, uri: "\(first + 30).2.m4s"),
        renditionReports: [.init(uri: "../720p/index.m3u8", lastMSN: Int64(first + 30), lastPart: 1),
                           .init(uri: "../audio/index.m3u8", lastMSN: Int64(first + 30), lastPart: 1)])
}

/// Nanoseconds per call of `body`, over `count` calls.
@inline(never)
func measure(_ count: Int, _ body: () -> Int) -> (Double, Int) {
    let clock = ContinuousClock()
    var sink = 0
    let start = clock.now
    for _ in 0..<count { sink &+= body() }
    let elapsed = clock.now - start
    let (seconds, attoseconds) = elapsed.components
    return ((Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / Double(count), sink)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

let arguments = CommandLine.arguments
let rounds = arguments.count > 1 ? Int(arguments[1]) ?? 200 : 200
let batch = arguments.count > 2 ? Int(arguments[2]) ?? 50 : 50
let playlist = liveWindow()
// A token as PlaybackSigner issues them: base64url, about 80 characters.
let query = URIQuery("token=" + String(repeating: "AbCd-_09", count: 10))
var publicTimes: [Double] = []
var signedTimes: [Double] = []
var sink = 0
// Alternate the two in short batches so that both see the same load on a shared machine.
for round in 0..<rounds {
    let renderPublic = { playlist.render().utf8.count }
    let renderSigned = { playlist.render(query: query).utf8.count }
    let order = round % 2 == 0 ? [renderPublic, renderSigned] : [renderSigned, renderPublic]
    for (index, body) in order.enumerated() {
        let (ns, s) = measure(batch, body)
        sink &+= s
        if (index == 0) == (round % 2 == 0) { publicTimes.append(ns) } else { signedTimes.append(ns) }
    }
}
let p50Public = median(publicTimes) / 1000
let p50Signed = median(signedTimes) / 1000
print("media playlist: \(playlist.segments.count) segments, \(playlist.render().utf8.count) bytes public, "
    + "\(playlist.render(query: query).utf8.count) bytes signed; \(rounds) rounds of \(batch) renders each")
print("public  p50 \(String(format: "%.1f", p50Public)) µs per render")
print("signed  p50 \(String(format: "%.1f", p50Signed)) µs per render")
print("ratio   \(String(format: "%.2f", p50Signed / p50Public))  (sink \(sink % 10))")
