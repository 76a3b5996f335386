/// Video bytes per whole second of arrival time: the last few seconds (the window) and, summed,
/// every older second that had video (the baseline). Seconds start at the first frame.
struct VideoRateWindow: Sendable {
    struct Second: Sendable, Hashable {
        var bytes: Int64 = 0
        var frames = 0
    }

    /// Seconds in the window.
    let seconds: Int
    /// The start of the second being filled; nil before the first frame.
    private var start: ContinuousClock.Instant?
    private var current = Second()
    /// The last closed seconds, oldest first; at most ``seconds``.
    private(set) var recent: [Second] = []
    private(set) var baselineBytes: Int64 = 0
    private(set) var baselineSeconds = 0

    init(seconds: Int) {
        self.seconds = seconds
    }

    /// Counts one frame of `bytes` arriving at `now`; call ``advance(to:joiningBaseline:)`` first.
    mutating func add(bytes: Int, at now: ContinuousClock.Instant) {
        if start == nil { start = now }
        current.bytes += Int64(bytes)
        current.frames += 1
    }

    /// Closes every second that ended by `now`. A closed second that leaves the window joins the
    /// baseline when `joiningBaseline` and it had video. Returns whether any second closed.
    mutating func advance(to now: ContinuousClock.Instant, joiningBaseline: Bool) -> Bool {
        guard let start, now >= start + .seconds(1) else { return false }
        // Positive, so the whole seconds are the floor.
        let closed = Int((now - start).components.seconds)
        push(current, joiningBaseline: joiningBaseline)
        current = Second()
        // Seconds without a frame; past a whole window of them, the older ones only pass through.
        for _ in 0..<min(closed - 1, seconds) {
            push(Second(), joiningBaseline: joiningBaseline)
        }
        self.start = start + .seconds(closed)
        return true
    }

    /// A full window in which every second had a frame: video kept flowing throughout.
    var isFullOfVideo: Bool {
        recent.count == seconds && recent.allSatisfy { $0.frames > 0 }
    }

    /// The window's bitrate, bits per second.
    var recentBitsPerSecond: Int64 {
        recent.reduce(0) { $0 + $1.bytes } * 8 / Int64(seconds)
    }

    /// The baseline's bitrate, bits per second; 0 without a baseline.
    var baselineBitsPerSecond: Int64 {
        baselineSeconds == 0 ? 0 : baselineBytes * 8 / Int64(baselineSeconds)
    }

    private mutating func push(_ second: Second, joiningBaseline: Bool) {
        recent.append(second)
        guard recent.count > seconds else { return }
        let old = recent.removeFirst()
        if joiningBaseline && old.frames > 0 {
            baselineBytes += old.bytes
            baselineSeconds += 1
        }
    }
}
