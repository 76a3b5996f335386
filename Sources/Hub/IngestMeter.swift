import MediaCore

/// What a channel's publisher sends, for metrics: bytes and video frames since the channel was
/// made, and the last few key-frame intervals of the session under way, in media time (the
/// sample's DTS on the video track's timescale), so a rate says what the encoder produces, not
/// how the network delivered it.
///
/// Rates are measured between key frames, over whole intervals: a large key frame then never
/// makes one window look rich and the next poor. Fed by ``HubChannel`` with every event its
/// publisher sends.
public struct IngestMeter: Sendable, Hashable {
    /// Key frames remembered; the rates cover the intervals between them. Six span five
    /// intervals: 10 s at the 2 s key-frame interval encoders are asked for (the README's encoder
    /// settings), long enough to smooth a GOP's shape, short enough to follow a change within a
    /// 15 s scrape.
    public static let keyFramesKept = 6

    /// Bytes of every sample, all tracks.
    public private(set) var bytes: Int64 = 0
    /// Frames of the video track.
    public private(set) var videoFrames: Int64 = 0
    /// Key frames of the video track.
    public private(set) var keyFrames: Int64 = 0

    private var video: VideoTrack?
    /// The session's last key frames, oldest first; at most ``keyFramesKept``.
    private var marks: [Mark] = []

    private struct VideoTrack: Sendable, Hashable {
        var index: Int
        var timescale: UInt32
    }

    /// A key frame: its DTS, and the totals before it.
    private struct Mark: Sendable, Hashable {
        var dts: Int64
        var bytes: Int64
        var frames: Int64
    }

    /// What arrived between the oldest and the newest key frame kept.
    public struct Window: Sendable, Hashable {
        /// From the oldest key frame kept to the newest.
        public var duration: MediaTime
        /// Bytes of every track in between.
        public var bytes: Int64
        /// Video frames in between.
        public var frames: Int64
        /// Key-frame intervals it spans.
        public var keyFrameIntervals: Int
    }

    public init() {}

    /// The last key-frame intervals of the session under way; nil before its second key frame,
    /// and between sessions.
    public var window: Window? {
        guard let video, let first = marks.first, let last = marks.last, last.dts > first.dts else { return nil }
        return Window(
            duration: MediaTime(ticks: last.dts - first.dts, timescale: video.timescale),
            bytes: last.bytes - first.bytes, frames: last.frames - first.frames, keyFrameIntervals: marks.count - 1)
    }

    /// Counts one event of the publisher.
    mutating func record(_ event: HubEvent) {
        switch event {
        case .tracks(let tracks):
            // A new session or a new codec configuration: media time may start again.
            video = tracks.firstIndex { $0.mediaType == .video }.map { VideoTrack(index: $0, timescale: tracks[$0].timescale) }
            marks = []
        case .sample(let track, let sample):
            if track == video?.index {
                if sample.isSync {
                    // A DTS that goes back starts the measure again.
                    if let last = marks.last, sample.dts <= last.dts { marks = [] }
                    marks.append(Mark(dts: sample.dts, bytes: bytes, frames: videoFrames))
                    if marks.count > Self.keyFramesKept { marks.removeFirst() }
                    keyFrames += 1
                }
                videoFrames += 1
            }
            bytes += Int64(sample.data.readableBytes)
        case .end:
            video = nil
            marks = []
        }
    }
}
