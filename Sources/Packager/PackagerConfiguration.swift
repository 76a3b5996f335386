import MediaCore

/// Timing of the live packager. Durations are integer media time, never floating-point seconds.
public struct PackagerConfiguration: Sendable, Hashable {
    /// A segment is cut on the first key frame at or after this duration (default 2 s).
    public var segmentTarget: MediaTime
    /// LL-HLS part target (default 0.5 s). Parts never exceed it unless one frame alone does.
    /// Playlists recommend playing three part targets from their end (`PART-HOLD-BACK`).
    public var partTarget: MediaTime
    /// How much media the live playlist lists (default 60 s).
    public var window: MediaTime

    public init(
        segmentTarget: MediaTime = MediaTime(ticks: 2_000, timescale: 1_000),
        partTarget: MediaTime = MediaTime(ticks: 500, timescale: 1_000),
        window: MediaTime = MediaTime(ticks: 60_000, timescale: 1_000)
    ) {
        self.segmentTarget = segmentTarget
        self.partTarget = partTarget
        self.window = window
    }

    /// The part targets a server accepts. From 0.1 s, three frames at 30 fps: shorter parts hold
    /// one or two frames, each a request for every viewer, and lower the latency no further than the
    /// encoder's and the player's own delays allow. Up to 2 s, the default segment target: longer
    /// parts are no lower latency than segments.
    public static let partTargetLimits = MediaTime(ticks: 100, timescale: 1_000)...MediaTime(ticks: 2_000, timescale: 1_000)

    /// The most segments a follower lists as gaps at once: what the retained window (twice the
    /// listed one) can hold. A longer outage has pushed everything older out of the window anyway.
    var maximumGapSegments: Int {
        Int(2 * window.milliseconds / max(1, segmentTarget.milliseconds)) + 2
    }
}
