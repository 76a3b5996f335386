import Containers
import MediaCore
import NIOCore

/// Cuts one track into CMAF segments and LL-HLS parts. A pure state machine: samples in, actions out.
///
/// Rules (RFC 8216bis §4.4.4.9, ISO/IEC 23000-19 §7.3.2):
/// - A segment starts on a sync sample. The leader (the channel's source video, or its audio when
///   there is no video) cuts on a grid of its own presentation timeline, whose period is the segment
///   target: on the first sync sample at or after each grid point (docs/NUMBERING.md). It announces
///   each boundary as the presentation time of that sample. Every other track follows: an audio
///   follower cuts at its first sample at or after the boundary; a video follower (a transcoded
///   rendition, whose key frames the transcoder forces onto the source's) cuts on its sync sample at
///   the boundary, within half a frame. So segment N of every rendition covers the same media time
///   and carries the same number. A follower opens only at a boundary: one that starts late waits
///   for the next.
/// - A leader whose session starts in grid period 0 (timestamps from zero: the encoder's session
///   starts here) opens on its first sync sample. One that starts later (an instance that joins a
///   running session) opens on the first sync sample at or after the first grid point it sees, so
///   it never opens a segment that another instance, there from the start, cut elsewhere.
/// - A part closes as soon as its last sample arrives: when the next sample, at the estimated frame
///   duration, would not fit in the part target. The last sample's duration is that estimate, the
///   previous sample interval. So a part is downloadable one frame interval earlier than if we
///   waited for the next sample. If jitter defeats the estimate, the part is closed before the
///   sample that would overflow it: parts never exceed the target (RFC 8216bis §4.4.4.9).
/// - A leader told of a splice point (an ad break or a programme, ``splice(at:)``) also cuts on
///   the first sync sample at or after it, so the break starts a segment of its own where the
///   GOP allows. Numbers stay consecutive, as after an empty grid period.
/// - A sample fits when it does to within `timestampJitter` (RTMP's millisecond clock): its declared
///   duration is then cut to end the part on the target. Otherwise 30 fps over RTMP (33/34/33 ms)
///   looks 1 ms too long for 15 frames in 0.5 s, a segment's first part closes a frame early, and
///   each 2 s segment ends with a one-frame part: one more request per segment and viewer.
/// - Everything depends only on the input, so every instance fed the same stream produces the same
///   boundaries, numbers and bytes: a fragment's `mfhd` sequence number derives from its segment
///   number and part index (``fragmentSequenceNumber(msn:part:)``), not from a count of its own.
public struct Segmenter: Sendable {
    public enum Role: Sendable { case leader, follower }

    public struct Part: Sendable, Equatable {
        public var msn: Int
        public var index: Int
        public var startDTS: Int64
        public var duration: Int64
        public var independent: Bool
        public var data: ByteBuffer
    }

    public enum Action: Sendable {
        /// A new segment opened; `startPTS` is the presentation time of its first sample (for a
        /// leader, the boundary it announces).
        case segmentOpened(msn: Int, startDTS: Int64, startPTS: Int64)
        case part(Part)
        case segmentClosed(msn: Int, duration: Int64)
        /// Leader: `count` grid periods went by without a sync sample (a key-frame interval longer
        /// than the segment target), so the segment that just closed spans more than one. Numbers
        /// stay consecutive: they no longer equal the grid period plus the session's base.
        case emptyGridPeriods(count: Int)
    }

    public let timescale: UInt32
    public let role: Role
    private let segmentTarget: Int64
    private let partTarget: Int64
    /// Duration assumed for a sample when no interval has been seen yet (one frame at 30 fps, or one
    /// audio frame).
    private let defaultDuration: Int64

    /// Number of the open segment, or of the next one when none is open.
    public private(set) var msn: Int
    /// Leader without a number to go on from: its first segment takes its grid period's number.
    private var numberedByGrid: Bool
    /// Leader: the earliest presentation time its first segment may open at, set by the session's
    /// first sample: none in grid period 0, else the first grid point at or after that sample.
    private var earliestOpening: Int64?
    private var segmentStart: Int64?
    /// Leader: the grid period of the open segment's first sample.
    private var segmentPeriod: Int64 = 0
    private var partIndex = 0
    private var pending: [Sample] = []
    /// Decode time of the previous sample, packaged or not: a late start knows the frame interval.
    private var previousDTS: Int64?
    private var lastInterval: Int64?
    /// End of the last closed part: a segment lasts exactly as long as its parts.
    private var lastEnd: Int64 = 0
    /// Leader only: splice points not reached yet, presentation times in our timescale.
    private var splicePoints: [Int64] = []
    /// Follower only: boundaries announced by the leader, as (msn, start time in our timescale).
    private var boundaries: [(msn: Int, start: Int64)] = []
    /// Video followers only: the sample that opens a segment must lie this close to a boundary.
    private let boundaryTolerance: Int64
    private let isVideo: Bool
    /// ``timestampJitter`` in this track's timescale.
    private let jitter: Int64

    /// The largest number of frames a part may hold: 0.5 s at 240 fps, or AAC at 96 kHz, with margin.
    /// It only guards against an encoder sending zero-duration samples forever.
    static let maximumSamplesPerPart = 1_024

    /// How far a sample's interval may stray from the one before at a steady frame rate: one tick of
    /// RTMP's clock (whole milliseconds in the chunk message header, RTMP spec §5.3.1.2), which rounds a
    /// 30 fps cadence to 33/34/33 ms.
    static let timestampJitter = MediaTime(ticks: 1, timescale: MediaTime.rtmpTimescale)

    /// Boundaries a follower remembers: more than a leader can announce before a lagging follower
    /// (a transcoder a few seconds behind) catches up.
    static let maximumPendingBoundaries = 64

    /// Splice points a leader holds at most: as many as markers may wait for the packager
    /// (``MarkerQueue/capacity`` in the hub), twice over.
    static let maximumSplicePoints = 32

    /// - Parameter firstMSN: the number of the first segment, or nil for a leader with no number to
    ///   go on from (an instance's first session): its first segment's grid period.
    public init(
        timescale: UInt32,
        role: Role,
        configuration: PackagerConfiguration,
        defaultDuration: Int64,
        isVideo: Bool = false,
        firstMSN: Int? = 0
    ) {
        self.timescale = timescale
        self.role = role
        self.isVideo = isVideo
        self.boundaryTolerance = max(1, defaultDuration / 2)
        self.segmentTarget = max(1, configuration.segmentTarget.rescaled(to: timescale).ticks)
        self.partTarget = configuration.partTarget.rescaled(to: timescale).ticks
        self.defaultDuration = max(1, defaultDuration)
        self.jitter = Self.timestampJitter.rescaled(to: timescale).ticks
        self.msn = firstMSN ?? 0
        self.numberedByGrid = role == .leader && firstMSN == nil
    }

    public var isSegmentOpen: Bool { segmentStart != nil }

    /// The nominal duration of one sample (a frame), in this track's timescale.
    public var frameDuration: Int64 { defaultDuration }

    /// Follower: the leader opened segment `msn` at `start` (already in this track's timescale).
    public mutating func leaderOpened(msn: Int, start: Int64) {
        guard role == .follower, msn >= self.msn, !boundaries.contains(where: { $0.msn >= msn }) else { return }
        boundaries.append((msn, start))
        if boundaries.count > Self.maximumPendingBoundaries { boundaries.removeFirst() }
    }

    /// Leader: cut a segment on the first sync sample at or after presentation time `time` (in
    /// this track's timescale). A time already passed cuts on the next sync sample.
    public mutating func splice(at time: Int64) {
        guard role == .leader else { return }
        splicePoints.append(time)
        if splicePoints.count > Self.maximumSplicePoints { splicePoints.removeFirst() }
    }

    public mutating func append(_ sample: Sample) -> [Action] {
        var actions: [Action] = []
        if let previousDTS, sample.dts - previousDTS > 0 { lastInterval = sample.dts - previousDTS }
        previousDTS = sample.dts
        var cut = false
        if segmentStart != nil, shouldCutSegment(before: sample) {
            actions += closePart(lastSampleDuration: max(1, sample.dts - (pending.last?.dts ?? sample.dts)))
            actions += closeSegment()
            cut = true
            if role == .leader, period(of: sample.pts) - segmentPeriod > 1 {
                actions.append(.emptyGridPeriods(count: Int(clamping: period(of: sample.pts) - segmentPeriod - 1)))
            }
        }
        if segmentStart == nil {
            switch role {
            case .leader:
                let earliest = earliestOpening ?? (period(of: sample.pts) <= 0 ? .min : gridPoint(atOrAfter: sample.pts))
                earliestOpening = earliest
                // A segment starts on a sync sample, at the first grid point of a late start.
                guard sample.isSync, sample.pts >= earliest else { return actions }
                if numberedByGrid {
                    msn = Int(clamping: max(0, period(of: sample.pts)))
                    numberedByGrid = false
                }
                segmentPeriod = period(of: sample.pts)
                splicePoints.removeAll { $0 <= sample.pts }
            case .follower:
                // Open only at a boundary (a late start waits for the next one); a video follower
                // on a sync sample at it, or after a cut, the sync sample that made it.
                guard let boundary = boundaries.last(where: { reached($0, by: sample) }) else { return actions }
                if isVideo {
                    guard sample.isSync, cut || sample.pts - boundary.start <= boundaryTolerance else { return actions }
                }
                msn = max(msn, boundary.msn)
            }
            boundaries.removeAll { $0.msn <= msn }
            segmentStart = sample.dts
            partIndex = 0
            actions.append(.segmentOpened(msn: msn, startDTS: sample.dts, startPTS: sample.pts))
        }
        let estimate = lastInterval ?? defaultDuration
        // The shortest duration a sample may be declared with: the estimate less the clock's jitter.
        let shortest = max(1, estimate - jitter)
        // The early close below predicts with the last interval, which the clock's jitter can
        // defeat: a sample that does not fit even at its shortest is left to the next part, and the
        // part closes with its exact last duration.
        if let first = pending.first, let previous = pending.last, sample.dts + shortest - first.dts > partTarget {
            actions += closePart(lastSampleDuration: max(1, sample.dts - previous.dts))
        }
        pending.append(sample)
        // What the part target leaves from this sample on: its duration, then room for the next.
        let room = pending[0].dts + partTarget - sample.dts
        let duration = min(estimate, max(room, shortest))
        if room - duration < shortest || pending.count >= Self.maximumSamplesPerPart {
            actions += closePart(lastSampleDuration: duration)
        }
        return actions
    }

    /// Closes whatever is open (publisher gone, or a discontinuity): the last part and the segment.
    public mutating func flush() -> [Action] {
        guard segmentStart != nil else { return [] }
        var actions = closePart(lastSampleDuration: lastInterval ?? defaultDuration)
        actions += closeSegment()
        lastInterval = nil
        boundaries.removeAll()
        return actions
    }

    /// The grid period a presentation time lies in: floor(time / segment target).
    private func period(of time: Int64) -> Int64 {
        let quotient = time / segmentTarget
        return time % segmentTarget < 0 ? quotient - 1 : quotient
    }

    /// The first grid point at or after a presentation time.
    private func gridPoint(atOrAfter time: Int64) -> Int64 {
        let start = period(of: time) * segmentTarget
        return start == time ? time : start + segmentTarget
    }

    private func shouldCutSegment(before sample: Sample) -> Bool {
        switch role {
        case .leader:
            return sample.isSync && (period(of: sample.pts) > segmentPeriod || splicePoints.contains { $0 <= sample.pts })
        case .follower:
            return (sample.isSync || !isVideo) && boundaries.contains { $0.msn > msn && reached($0, by: sample) }
        }
    }

    /// Whether `sample` lies at or after a boundary: by decode time for audio (where it equals
    /// presentation time), by presentation time within the tolerance for video.
    private func reached(_ boundary: (msn: Int, start: Int64), by sample: Sample) -> Bool {
        isVideo ? sample.pts >= boundary.start - boundaryTolerance : sample.dts >= boundary.start
    }

    private mutating func closePart(lastSampleDuration: Int64) -> [Action] {
        guard !pending.isEmpty else { return [] }
        var fragmentSamples: [FragmentSample] = []
        fragmentSamples.reserveCapacity(pending.count)
        for (i, s) in pending.enumerated() {
            let duration = i + 1 < pending.count ? pending[i + 1].dts - s.dts : lastSampleDuration
            fragmentSamples.append(FragmentSample(
                duration: UInt32(clamping: max(0, duration)),
                compositionOffset: s.compositionOffset,
                isSync: s.isSync,
                data: s.data
            ))
        }
        let start = pending[0].dts
        let duration = pending[pending.count - 1].dts + lastSampleDuration - start
        let data = FMP4Writer.fragment(
            sequenceNumber: Self.fragmentSequenceNumber(msn: msn, part: partIndex),
            baseMediaDecodeTime: UInt64(clamping: max(0, start)),
            samples: fragmentSamples
        )
        let part = Part(msn: msn, index: partIndex, startDTS: start, duration: duration, independent: pending[0].isSync, data: data)
        lastEnd = start + duration
        partIndex += 1
        pending.removeAll(keepingCapacity: true)
        return [.part(part)]
    }

    private mutating func closeSegment() -> [Action] {
        guard let start = segmentStart else { return [] }
        segmentStart = nil
        let closed = msn
        msn += 1
        return [.segmentClosed(msn: closed, duration: max(0, lastEnd - start))]
    }

    /// Parts a segment may hold before its `mfhd` numbers run into the next segment's: a segment of
    /// 102 s at the shortest part target (0.1 s, ``PackagerConfiguration/partTargetLimits``), far
    /// longer than any key-frame interval an encoder for live streaming uses.
    static let partsPerSequenceBlock = 1_024

    /// The `mfhd` sequence number of part `part` of segment `msn` (ISO/IEC 14496-12 §8.8.5: it
    /// increases from fragment to fragment, from 1): a function of the numbers alone, so every
    /// instance writes the same bytes. Wraps after 4.2 million segments (97 days of 2 s segments).
    public static func fragmentSequenceNumber(msn: Int, part: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: msn &* partsPerSequenceBlock &+ min(part, partsPerSequenceBlock - 1) &+ 1)
    }
}
