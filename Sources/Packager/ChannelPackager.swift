import Containers
import Hub
import MediaCore
import NIOConcurrencyHelpers

/// Packages one channel: reads its hub track set and keeps one `LiveRendition` per track.
///
/// Passthrough renditions are named `source` (the video) and `audio` (one shared audio group).
/// Video leads segmentation; audio follows its boundaries so segment N of both covers the same time.
public final class ChannelPackager: Sendable {
    public let name: String
    public let configuration: PackagerConfiguration
    private let channel: HubChannel
    private let now: @Sendable () -> Int64
    private let state = NIOLockedValueBox(State())

    private struct State {
        var renditions: [String: LiveRendition] = [:]
        /// Renditions of the current (or last) publish session, video first.
        var current: [String] = []
        var statistics = PackagerStatistics()
    }

    /// Events a packager may lag behind the publisher before the hub cuts it off: about 20 s of
    /// 60 fps video with 48 kHz AAC (~107 events/s).
    static let hubQueueCapacity = 2_048

    /// - Parameter now: wall clock, Unix epoch milliseconds (injected for tests).
    public init(channel: HubChannel, configuration: PackagerConfiguration, now: @escaping @Sendable () -> Int64) {
        self.name = channel.name
        self.channel = channel
        self.configuration = configuration
        self.now = now
    }

    /// The current session's renditions, video first.
    public var renditions: [LiveRendition] {
        state.withLockedValue { state in state.current.compactMap { state.renditions[$0] } }
    }

    public func rendition(named name: String) -> LiveRendition? {
        state.withLockedValue { $0.renditions[name] }
    }

    public var isLive: Bool { channel.isLive }

    public var statistics: PackagerStatistics { state.withLockedValue { $0.statistics } }

    /// Runs until the task is cancelled. If the hub cuts this reader off, it resubscribes and the
    /// playlists continue after a discontinuity.
    public func run() async {
        var session = Session(packager: self)
        while !Task.isCancelled {
            for await event in channel.subscribe(capacity: Self.hubQueueCapacity) {
                session.handle(event)
            }
            session.finish()
            if !Task.isCancelled {
                state.withLockedValue { $0.statistics.resubscriptions += 1 }
            }
        }
    }

    fileprivate func rendition(for name: String) -> LiveRendition {
        state.withLockedValue { state in
            if let existing = state.renditions[name] { return existing }
            let rendition = LiveRendition(name: name, configuration: configuration)
            state.renditions[name] = rendition
            return rendition
        }
    }

    fileprivate func setCurrent(_ names: [String]) {
        state.withLockedValue { $0.current = names }
    }

    fileprivate func count(_ update: (inout PackagerStatistics) -> Void) {
        state.withLockedValue { update(&$0.statistics) }
    }

    fileprivate var wallClock: Int64 { now() }
}

public struct PackagerStatistics: Sendable, Hashable {
    public var sessions = 0
    public var samples = 0
    public var parts = 0
    public var segments = 0
    /// Samples for a track index that the current track set does not have.
    public var unknownTrackSamples = 0
    public var resubscriptions = 0
}

/// The per-publish-session part of the packager: one segmenter per track.
private struct Session {
    let packager: ChannelPackager
    var tracks: [(segmenter: Segmenter, rendition: LiveRendition)] = []
    /// Wall clock and media time of the session's first sample, for EXT-X-PROGRAM-DATE-TIME.
    var anchor: (wallClock: Int64, time: MediaTime)?
    var nextMSN = 0

    init(packager: ChannelPackager) { self.packager = packager }

    mutating func handle(_ event: HubEvent) {
        switch event {
        case .tracks(let infos):
            finish()
            start(infos)
        case .sample(let index, let sample):
            guard tracks.indices.contains(index) else {
                packager.count { $0.unknownTrackSamples += 1 }
                return
            }
            if anchor == nil {
                anchor = (packager.wallClock, MediaTime(ticks: sample.dts, timescale: tracks[index].segmenter.timescale))
            }
            let actions = tracks[index].segmenter.append(sample)
            packager.count { $0.samples += 1 }
            apply(actions, track: index)
        case .end:
            finish()
        }
    }

    /// Closes open parts and segments and marks the renditions as not live.
    mutating func finish() {
        guard !tracks.isEmpty else { return }
        for i in tracks.indices {
            apply(tracks[i].segmenter.flush(), track: i)
            nextMSN = max(nextMSN, tracks[i].segmenter.msn)
        }
        let now = packager.wallClock
        for track in tracks { track.rendition.end(at: now) }
        tracks = []
        anchor = nil
    }

    private mutating func start(_ infos: [TrackInfo]) {
        packager.count { $0.sessions += 1 }
        let hasVideo = infos.contains { $0.mediaType == .video }
        var names: [String] = []
        for info in infos {
            let name = Self.renditionName(for: info, taken: names)
            names.append(name)
            let role: Segmenter.Role = info.mediaType == .video || !hasVideo ? .leader : .follower
            let segmenter = Segmenter(
                timescale: info.timescale,
                role: role,
                configuration: packager.configuration,
                defaultDuration: Self.defaultDuration(of: info),
                firstMSN: nextMSN
            )
            let rendition = packager.rendition(for: name)
            rendition.begin(track: info, initSegment: FMP4Writer.initSegment(for: info))
            tracks.append((segmenter, rendition))
        }
        packager.setCurrent(names)
    }

    private mutating func apply(_ actions: [Segmenter.Action], track index: Int) {
        let rendition = tracks[index].rendition
        let timescale = tracks[index].segmenter.timescale
        for action in actions {
            switch action {
            case .segmentOpened(let msn, let start):
                rendition.open(msn: msn, startDTS: start, programDateTime: programDateTime(start, timescale: timescale))
                if tracks[index].segmenter.role == .leader {
                    let time = MediaTime(ticks: start, timescale: timescale)
                    for j in tracks.indices where j != index {
                        tracks[j].segmenter.leaderOpened(msn: msn, start: time.rescaled(to: tracks[j].segmenter.timescale).ticks)
                    }
                }
            case .part(let part):
                rendition.add(part)
                packager.count { $0.parts += 1 }
            case .segmentClosed(let msn, _):
                rendition.close(msn: msn)
                packager.count { $0.segments += 1 }
            }
        }
    }

    private func programDateTime(_ dts: Int64, timescale: UInt32) -> Int64 {
        guard let anchor else { return packager.wallClock }
        let elapsed = MediaTime(ticks: dts, timescale: timescale).milliseconds - anchor.time.milliseconds
        return anchor.wallClock + elapsed
    }

    static func renditionName(for info: TrackInfo, taken: [String]) -> String {
        let base = info.mediaType == .video ? "source" : "audio"
        var name = base
        var n = 2
        while taken.contains(name) {
            name = "\(base)\(n)"
            n += 1
        }
        return name
    }

    /// One frame: the nominal frame rate for video (30 fps if unknown), the frame size for audio.
    static func defaultDuration(of info: TrackInfo) -> Int64 {
        if let audio = info.audio { return Int64(audio.samplesPerFrame) }
        if let rate = info.video?.frameRate, rate.numerator > 0 {
            return Int64(info.timescale) * rate.denominator / rate.numerator
        }
        return Int64(info.timescale) / 30
    }
}
