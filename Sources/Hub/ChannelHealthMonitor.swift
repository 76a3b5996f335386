/// Tells when a live channel goes bad while its encoder stays connected: video stops (`no-video`)
/// or its bitrate collapses (`bitrate-collapse`). A pure state machine: its owner feeds it the
/// channel's hub events and a periodic ``tick(at:)`` with the current `ContinuousClock` instant,
/// and reports the returned ``Action``s.
///
/// Rules:
/// - Only sessions whose track set has a video track are watched; an audio-only stream is healthy.
/// - No video frame for ``Configuration/noVideoTimeout`` (5 s), counted from the last frame or
///   from the session's start, opens a `no-video` episode; the next frame closes it.
/// - The video bitrate is the bytes of the frames that arrived in each whole second. When the last
///   ``Configuration/bitrateWindowSeconds`` (5) all had frames and together fall below
///   ``Configuration/collapsePercent`` (10 %) of the session's average, a `bitrate-collapse`
///   episode opens; it closes when a window is back at ``Configuration/recoveryPercent`` (50 %).
///   The average covers the seconds with video older than the window, and only while healthy,
///   so a long collapse does not drag it down; there is no verdict before it holds
///   ``Configuration/warmUpSeconds`` (20) of video. A stall leaves empty seconds in the window, so
///   it is reported as `no-video`, never as a collapse.
/// - One episode at a time: a channel already unhealthy is not reported again until it recovers.
///   The end of the session closes an episode without a ``Action/recovered(from:after:)``.
///
/// Only differences between instants matter, so tests can use any base instant.
public struct ChannelHealthMonitor: Sendable {
    public let configuration: Configuration
    /// The open episode, while the channel is unhealthy.
    public private(set) var episode: Episode?
    private var session: Session?

    private struct Session {
        /// The video track's index in the current track set, if it has one.
        var videoTrack: Int?
        /// The last video frame, or when video was first expected.
        var lastVideo: ContinuousClock.Instant
        var rate: VideoRateWindow
    }

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// True between a session's first `.tracks` and its `.end`.
    public var isWatching: Bool { session != nil }

    /// One event of the channel's track set, as it arrives.
    public mutating func receive(_ event: HubEvent, at now: ContinuousClock.Instant) -> [Action] {
        switch event {
        case .tracks(let tracks):
            let video = tracks.firstIndex { $0.mediaType == .video }
            guard var session else {
                episode = nil
                session = Session(videoTrack: video, lastVideo: now, rate: VideoRateWindow(seconds: configuration.bitrateWindowSeconds))
                return []
            }
            // A codec change within the session.
            if session.videoTrack == nil && video != nil { session.lastVideo = now }
            session.videoTrack = video
            self.session = session
            return check(at: now)
        case .sample(let track, let sample):
            guard session?.videoTrack == track else { return check(at: now) }
            var actions = check(at: now)
            session?.lastVideo = now
            session?.rate.add(bytes: sample.data.readableBytes, at: now)
            if let episode, episode.reason == .noVideo {
                self.episode = nil
                actions.append(.recovered(from: .noVideo, after: now - episode.since))
            }
            return actions
        case .end:
            session = nil
            episode = nil
            return []
        }
    }

    /// The periodic check, which catches a publisher that sends nothing at all. Call it at least
    /// every second.
    public mutating func tick(at now: ContinuousClock.Instant) -> [Action] {
        check(at: now)
    }

    private mutating func check(at now: ContinuousClock.Instant) -> [Action] {
        guard var session, session.videoTrack != nil else { return [] }
        var actions: [Action] = []
        if session.rate.advance(to: now, joiningBaseline: episode == nil) {
            actions += judgeBitrate(session.rate, at: now)
        }
        if episode == nil, now - session.lastVideo >= configuration.noVideoTimeout {
            episode = Episode(reason: .noVideo, since: session.lastVideo)
            actions.append(.noVideo(for: now - session.lastVideo))
        }
        self.session = session
        return actions
    }

    private mutating func judgeBitrate(_ rate: VideoRateWindow, at now: ContinuousClock.Instant) -> [Action] {
        guard rate.isFullOfVideo, rate.baselineSeconds >= configuration.warmUpSeconds else { return [] }
        let measured = rate.recentBitsPerSecond
        let average = rate.baselineBitsPerSecond
        guard average > 0 else { return [] }
        switch episode?.reason {
        case nil:
            guard measured * 100 < average * Int64(configuration.collapsePercent) else { return [] }
            episode = Episode(reason: .bitrateCollapse, since: now - .seconds(configuration.bitrateWindowSeconds))
            return [.bitrateCollapsed(bitsPerSecond: measured, averageBitsPerSecond: average)]
        case .bitrateCollapse:
            guard let episode, measured * 100 >= average * Int64(configuration.recoveryPercent) else { return [] }
            self.episode = nil
            return [.recovered(from: .bitrateCollapse, after: now - episode.since)]
        case .noVideo:
            return []
        }
    }
}
