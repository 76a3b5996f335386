import MediaCore
import NIOConcurrencyHelpers
import NIOCore

/// The live window of one rendition: init segments, segments and parts in memory, served without
/// copying (ByteBuffer shares storage). Requests for media that does not exist yet can wait for it
/// (LL-HLS blocking playlist reload and preload hints, RFC 8216bis §6.2.5.2).
public final class LiveRendition: Sendable {
    public let name: String
    private let configuration: PackagerConfiguration
    private let state: NIOLockedValueBox<State>

    private struct Waiter {
        var id: Int
        var target: Target
        /// Completed on the waiting request's own event loop.
        var promise: EventLoopPromise<Bool>
    }

    /// What a waiting request needs to exist.
    public enum Target: Sendable, Hashable {
        /// Segment `msn` (or a later one) is complete.
        case segment(msn: Int)
        /// Part `index` of segment `msn` (or a later part) exists.
        case part(msn: Int, index: Int)
    }

    private struct State {
        var track: TrackInfo?
        var inits: [ByteBuffer] = []
        /// Retained segments, oldest first; the last may be open. Older ones than the listed window
        /// stay downloadable for a while (RFC 8216 §6.2.2).
        var segments: [LiveSegment] = []
        /// Discontinuity sequence number of `segments.first`.
        var discontinuitySequence = 0
        var discontinuityPending = false
        var longestSegment: Int64 = 0
        var live = false
        /// The caption channels the current session carries; nil when not known.
        var captions: CaptionChannels?
        var endedAt: Int64?
        var version = 0
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var lastPart: (msn: Int, index: Int)?
        var lastComplete: Int?
        /// The snapshot of the current version, once asked for: requests at the same window share it.
        var snapshot: RenditionSnapshot?

        func satisfies(_ target: Target) -> Bool {
            switch target {
            case .segment(let msn):
                return (lastComplete ?? Int.min) >= msn
            case .part(let msn, let index):
                guard let last = lastPart else { return false }
                return last.msn > msn || (last.msn == msn && last.index >= index)
            }
        }
    }

    public init(name: String, configuration: PackagerConfiguration) {
        self.name = name
        self.configuration = configuration
        self.state = NIOLockedValueBox(State())
    }

    public static func mapURI(index: Int) -> String { index == 0 ? "init.mp4" : "init-\(index).mp4" }

    // MARK: Writing (from the channel packager, or an edge relay filling it from an origin)

    /// A publish session starts on this rendition. The next segment carries EXT-X-DISCONTINUITY if
    /// this is not the first session.
    public func begin(track: TrackInfo, initSegment: ByteBuffer) {
        mutate { state in
            state.track = track
            if state.inits.last != initSegment { state.inits.append(initSegment) }
            state.discontinuityPending = !state.segments.isEmpty
            state.live = true
            state.captions = nil
            state.endedAt = nil
        }
    }

    public func open(msn: Int, startDTS: Int64, programDateTime: Int64) {
        mutate { state in
            state.segments.append(LiveSegment(
                msn: msn, startDTS: startDTS, duration: 0,
                discontinuity: state.discontinuityPending,
                programDateTime: programDateTime,
                mapIndex: max(0, state.inits.count - 1),
                parts: [], data: nil
            ))
            state.discontinuityPending = false
        }
    }

    /// Lists segment `msn` as a gap (RFC 8216bis §4.4.4.7), for a follower that missed it.
    public func addGap(msn: Int, duration: Int64, programDateTime: Int64) {
        mutate { state in
            var segment = LiveSegment(
                msn: msn, startDTS: 0, duration: duration,
                discontinuity: state.discontinuityPending,
                programDateTime: programDateTime,
                mapIndex: max(0, state.inits.count - 1),
                parts: [], data: nil
            )
            segment.gap = true
            state.segments.append(segment)
            state.discontinuityPending = false
            state.lastComplete = msn
            evict(&state)
        }
    }

    /// Segment `msn` as finished, for the archive, with those of the channel's `markers` whose
    /// boundaries are on it (it starts them, or an ad break's return goes with it, as this
    /// rendition's playlist lists them); nil unless it is complete and retained.
    func completed(msn: Int, channel: String, markers: [LiveMarker] = []) -> CompletedSegment? {
        state.withLockedValue { state in
            guard let track = state.track,
                  let segment = state.segments.last(where: { $0.msn == msn }), segment.isComplete,
                  state.inits.indices.contains(segment.mapIndex) else { return nil }
            var completed = CompletedSegment(
                channel: channel, rendition: name, msn: msn, startDTS: segment.startDTS, duration: segment.duration,
                timescale: track.timescale, programDateTime: segment.programDateTime, discontinuity: segment.discontinuity,
                gap: segment.gap, track: track, initSegment: state.inits[segment.mapIndex], parts: segment.data ?? []
            )
            let previous = state.segments.last(where: { $0.msn == msn - 1 })?.programDateTime
            completed.markers = markers.filter {
                $0.msn == msn || $0.returns(at: msn, programDateTime: segment.programDateTime, previous: previous)
            }
            return completed
        }
    }

    /// The track of the current (or last) session.
    public var track: TrackInfo? { state.withLockedValue { $0.track } }

    func add(_ part: Segmenter.Part) {
        add(LivePart(index: part.index, duration: part.duration, independent: part.independent, data: part.data), msn: part.msn)
    }

    /// Adds the next part of the open segment `msn`, which must be open.
    public func add(_ part: LivePart, msn: Int) {
        mutate { state in
            guard let last = state.segments.indices.last, state.segments[last].msn == msn, !state.segments[last].isComplete else {
                preconditionFailure("part \(msn).\(part.index) without its open segment")
            }
            state.segments[last].parts.append(part)
            state.segments[last].duration += part.duration
            state.lastPart = (msn, part.index)
        }
    }

    /// Completes segment `msn`: its bytes are its parts', or `data` where they differ (an edge's
    /// segment of an encrypted channel, which its origin encrypts whole, its parts each on its own).
    public func close(msn: Int, data: [ByteBuffer]? = nil) {
        mutate { state in
            guard let last = state.segments.indices.last, state.segments[last].msn == msn else { return }
            state.segments[last].data = data ?? state.segments[last].parts.map(\.data)
            state.longestSegment = max(state.longestSegment, state.segments[last].duration)
            state.lastComplete = msn
            evict(&state)
        }
    }

    /// The caption channels the current session carries, as its packager found; not known
    /// (nil) until said, and again from the next ``begin(track:initSegment:)``.
    public func markCaptions(_ channels: CaptionChannels) {
        mutate { state in state.captions = channels }
    }

    public func end(at wallClock: Int64) {
        mutate { state in
            state.live = false
            state.endedAt = wallClock
        }
    }

    private func mutate(_ body: (inout State) -> Void) {
        let ready: [Waiter] = state.withLockedValue { state in
            body(&state)
            state.version += 1
            state.snapshot = nil
            guard !state.waiters.isEmpty else { return [] }
            let (ready, waiting) = state.waiters.partitioned { state.satisfies($0.target) }
            state.waiters = waiting
            return ready
        }
        for waiter in ready { waiter.promise.succeed(true) }
    }

    /// Drops what is too old: segments beyond twice the window (they were delisted a window ago),
    /// and the part list of segments older than six part-listing horizons (RFC 8216bis §6.2.2
    /// keeps a removed part available for one part duration plus the playlist duration): their
    /// parts are no longer listed or served one by one, but their buffers stay, as the segment.
    /// So a rendition holds its media once, for twice the window.
    private func evict(_ state: inout State) {
        guard let timescale = state.track?.timescale else { return }
        let window = configuration.window.rescaled(to: timescale).ticks
        let partHorizon = configuration.segmentTarget.rescaled(to: timescale).ticks * 6
        var age: Int64 = 0
        var keep = state.segments.count
        for i in state.segments.indices.reversed() {
            age += state.segments[i].duration
            if age > partHorizon, !state.segments[i].parts.isEmpty, state.segments[i].isComplete {
                state.segments[i].parts = []
            }
            if age > 2 * window { keep = state.segments.count - i - 1; break }
        }
        let removed = state.segments.count - keep
        if removed > 0 {
            state.discontinuitySequence += state.segments.prefix(removed).filter(\.discontinuity).count
            state.segments.removeFirst(removed)
        }
    }

    // MARK: Reading (from delivery)

    /// The listed window: complete segments reaching back `window`, plus the open segment.
    public func snapshot() -> RenditionSnapshot? {
        state.withLockedValue { state in
            if let snapshot = state.snapshot { return snapshot }
            guard let track = state.track else { return nil }
            let window = configuration.window.rescaled(to: track.timescale).ticks
            var first = state.segments.count
            var listed: Int64 = 0
            for i in state.segments.indices.reversed() {
                let segment = state.segments[i]
                if segment.isComplete {
                    if listed + segment.duration > window, listed > 0 { break }
                    listed += segment.duration
                }
                first = i
            }
            let hidden = state.segments[..<first]
            let segments = Array(state.segments[first...])
            let complete = segments.filter(\.isComplete)
            var peak = 0
            var bits = 0
            var duration: Int64 = 0
            for segment in complete where segment.duration > 0 && !segment.gap {
                let size = segment.size
                peak = max(peak, Int(Int64(size) * 8 * Int64(track.timescale) / segment.duration))
                bits += size * 8
                duration += segment.duration
            }
            let average = duration > 0 ? Int(Int64(bits) * Int64(track.timescale) / duration) : 0
            if peak == 0 {
                // Nothing complete yet: estimate from the parts at the edge.
                let parts = segments.flatMap(\.parts)
                let partBytes = parts.reduce(0) { $0 + $1.data.readableBytes }
                let partDuration = parts.reduce(Int64(0)) { $0 + $1.duration }
                if partDuration > 0 { peak = Int(Int64(partBytes) * 8 * Int64(track.timescale) / partDuration) }
            }
            let snapshot = RenditionSnapshot(
                name: name,
                track: track,
                segments: segments,
                discontinuitySequence: state.discontinuitySequence + hidden.filter(\.discontinuity).count,
                mapURIs: state.inits.indices.map(Self.mapURI(index:)),
                longestSegment: state.longestSegment,
                peakBitrate: peak,
                averageBitrate: average == 0 ? peak : average,
                isLive: state.live,
                captions: state.captions,
                endedAt: state.endedAt,
                version: state.version
            )
            state.snapshot = snapshot
            return snapshot
        }
    }

    public func initSegment(index: Int) -> ByteBuffer? {
        state.withLockedValue { state in state.inits.indices.contains(index) ? state.inits[index] : nil }
    }

    /// A complete segment: its parts' buffers, in order (write them one after the other).
    public func segment(msn: Int) -> [ByteBuffer]? {
        state.withLockedValue { state in state.segments.first { $0.msn == msn }?.data }
    }

    public func part(msn: Int, index: Int) -> ByteBuffer? {
        state.withLockedValue { state in
            state.segments.first { $0.msn == msn }?.parts.first { $0.index == index }?.data
        }
    }

    /// Whether `target` exists: at once when it does, when it appears, or false after `timeout`, as
    /// a future on `loop` (the caller's own event loop). A request held at the live edge costs a
    /// promise and a timer on its own loop, and no task: when a part lands, the promises of every
    /// request held for it are completed, each on its own loop.
    public func ready(for target: Target, timeout: Duration, on loop: any EventLoop) -> EventLoopFuture<Bool> {
        register(for: target, timeout: timeout, on: loop)?.future ?? loop.makeSucceededFuture(true)
    }

    /// Waits until `target` exists, for at most `timeout`, with its timer on `loop`. Returns whether
    /// it does; a cancelled wait returns false at once.
    public func wait(for target: Target, timeout: Duration, on loop: any EventLoop) async -> Bool {
        guard let (id, future) = register(for: target, timeout: timeout, on: loop) else { return true }
        return await withTaskCancellationHandler {
            // The promise is only ever succeeded.
            (try? await future.get()) ?? false
        } onCancel: {
            self.resume(waiter: id, with: false)
        }
    }

    /// Registers a waiter for `target`, with its timeout on `loop`; nil when `target` exists.
    private func register(for target: Target, timeout: Duration, on loop: any EventLoop) -> (id: Int, future: EventLoopFuture<Bool>)? {
        let waiter: Waiter? = state.withLockedValue { state in
            if state.satisfies(target) { return nil }
            defer { state.nextWaiterID += 1 }
            let waiter = Waiter(id: state.nextWaiterID, target: target, promise: loop.makePromise())
            state.waiters.append(waiter)
            return waiter
        }
        guard let waiter else { return nil }
        let timer = loop.scheduleTask(in: TimeAmount(timeout)) {}
        // Fired, cancelled once the target exists, or failed by the loop's shutdown: each ends the
        // wait (a waiter already woken is not found again).
        timer.futureResult.whenComplete { _ in self.resume(waiter: waiter.id, with: false) }
        waiter.promise.futureResult.whenComplete { _ in timer.cancel() }
        return (waiter.id, waiter.promise.futureResult)
    }

    /// Requests waiting now: none once every wait was answered, timed out or cancelled.
    var waiting: Int { state.withLockedValue { $0.waiters.count } }

    private func resume(waiter id: Int, with result: Bool) {
        let waiter: Waiter? = state.withLockedValue { state in
            state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0) }
        }
        waiter?.promise.succeed(result)
    }
}

extension Array {
    fileprivate func partitioned(by predicate: (Element) -> Bool) -> (matching: [Element], rest: [Element]) {
        var matching: [Element] = []
        var rest: [Element] = []
        for e in self {
            if predicate(e) { matching.append(e) } else { rest.append(e) }
        }
        return (matching, rest)
    }
}
