import Containers
import Hub
import MediaCore

/// The publish sessions of one channel's two feeds, segmented together: the source video leads,
/// every other track follows its boundaries.
///
/// A state machine: hub events in, ``Action``s out, with the wall clock passed in. It names
/// renditions and touches nothing else; ``ChannelPackager`` carries the actions out on its live
/// renditions, in order, on one serial context per channel (``PackagingContext``).
struct ChannelSessions: Sendable {
    struct Track: Sendable {
        var segmenter: Segmenter
        var rendition: String
        var isLeader: Bool
        var isVideo: Bool
        /// Date-time and duration so far (the sum of its parts) of the open segment.
        var open: (programDateTime: Int64, duration: Int64)?
        /// Looks for captions in an H.264 or HEVC track.
        var captionScan: CaptionScan?
    }

    /// A complete segment of the leader: what a follower that missed it lists as a gap.
    private struct LeaderSegment: Sendable {
        var msn: Int
        var duration: MediaTime
        var programDateTime: Int64
    }

    /// One call's inputs and the actions it has produced so far.
    struct Step {
        let now: Int64
        let sourceIsLive: Bool
        var actions: [Action] = []
    }

    let plan: RenditionPlan
    let configuration: PackagerConfiguration
    /// Tracks of each feed's current session, by hub track index; nil for a track that is not
    /// packaged (the encoder's audio when the transcoder encodes the audio group).
    var tracks: [Feed: [Track?]] = [:]
    /// Recent boundaries of the leader, newest last: seeds followers that start late.
    private var boundaries: [(msn: Int, start: MediaTime)] = []
    /// Wall clock and media time of the source session's first sample (EXT-X-PROGRAM-DATE-TIME).
    private(set) var anchor: (wallClock: Int64, time: MediaTime)?
    /// The leader's next segment number, kept across sessions: numbers never go back. Nil while
    /// this instance has numbered nothing and resumes nothing: its first segment then takes the
    /// number of its grid period, as on any instance there from the session's start
    /// (docs/NUMBERING.md).
    private var nextMSN: Int?
    /// Decode time of the leader's newest sample: no boundary can come before it any more.
    private var leaderDTS: MediaTime?
    /// Events of follower tracks waiting for the leader to pass their time, oldest first, per feed.
    /// The feeds arrive on separate queues, and a follower must not see a sample before the leader
    /// has announced every boundary at or before it.
    private var held: [Feed: HeldEvents] = [:]
    /// Number of each rendition's newest segment (open, complete or gap), across sessions: a
    /// follower goes on from it, and lists what it skipped as gaps.
    private var lastMSN: [String: Int] = [:]
    /// The leader's recent complete segments, oldest first: as many as a follower may list as gaps.
    private var leaderSegments: [LeaderSegment] = []
    /// Markers waiting for the leader to open the segment they start, oldest first, with their
    /// start on the source's presentation timeline.
    var pendingMarkers: [(marker: ChannelMarker, start: MediaTime)] = []
    var statistics = PackagerStatistics()

    init(plan: RenditionPlan, configuration: PackagerConfiguration) {
        self.plan = plan
        self.configuration = configuration
    }

    /// Numbers the next segment after `msn` at the earliest: a channel restarted from its archive
    /// goes on where it stopped.
    mutating func resume(after msn: Int) {
        nextMSN = max(nextMSN ?? 0, msn + 1)
    }

    /// Takes a batch of one feed's events, in order.
    /// - Parameters:
    ///   - now: wall clock, Unix epoch milliseconds.
    ///   - sourceIsLive: a publisher feeds the source track set: while its session has not reached
    ///     this reader yet, followers wait for it.
    mutating func handle(_ events: [HubEvent], from feed: Feed, now: Int64, sourceIsLive: Bool) -> [Action] {
        var step = Step(now: now, sourceIsLive: sourceIsLive)
        for event in events { handle(event, from: feed, &step) }
        return step.actions
    }

    /// A feed's reader ended (cut off by the hub, or cancelled): its session ends. A reader that
    /// resubscribes goes on after a discontinuity.
    mutating func readerEnded(_ feed: Feed, resubscribing: Bool, now: Int64, sourceIsLive: Bool) -> [Action] {
        if resubscribing { statistics.resubscriptions += 1 }
        return handle([.end], from: feed, now: now, sourceIsLive: sourceIsLive)
    }

    private mutating func handle(_ event: HubEvent, from feed: Feed, _ step: inout Step) {
        if feed == .renditions {
            held[feed, default: HeldEvents()].append(event)
            release(.renditions, &step)
            return
        }
        switch event {
        case .tracks, .end:
            release(.source, all: true, &step)
            process(event, from: .source, &step)
        case .sample(let index, let sample):
            if let track = tracks[.source]?[safe: index] ?? nil, track.isLeader {
                process(event, from: .source, &step)
                leaderDTS = MediaTime(ticks: sample.dts, timescale: track.segmenter.timescale)
            } else {
                held[.source, default: HeldEvents()].append(event)
            }
        }
        release(.source, &step)
        release(.renditions, &step)
    }

    private mutating func process(_ event: HubEvent, from feed: Feed, _ step: inout Step) {
        switch event {
        case .tracks(let infos):
            finish(feed, &step)
            start(feed, infos, &step)
        case .sample(let index, let sample):
            guard let session = tracks[feed], session.indices.contains(index) else {
                statistics.unknownTrackSamples += 1
                return
            }
            guard let track = session[index] else { return }
            if feed == .source, anchor == nil {
                anchor = (step.now, MediaTime(ticks: sample.pts, timescale: track.segmenter.timescale))
            }
            if let scan = track.captionScan { scanForCaptions(sample, with: scan, feed: feed, track: index, &step) }
            let actions = tracks[feed]![index]!.segmenter.append(sample)
            statistics.samples += 1
            apply(actions, feed: feed, track: index, &step)
        case .end:
            finish(feed, &step)
        }
    }

    /// Processes a feed's held events, in order, while their samples lie a frame behind the
    /// leader. While the source is live but its session has not reached this reader yet, they
    /// wait; with no source at all, nothing can announce a boundary and they go on. Bounded: with
    /// the leader stalled, the oldest go on anyway.
    private mutating func release(_ feed: Feed, all: Bool = false, _ step: inout Step) {
        while let event = held[feed]?.first {
            if !all, held[feed]!.count <= Self.maximumHeldEvents, case .sample(let index, let sample) = event,
               let track = tracks[feed]?[safe: index] ?? nil {
                if let leaderDTS {
                    let time = MediaTime(ticks: sample.pts + track.segmenter.frameDuration, timescale: track.segmenter.timescale)
                    if time > leaderDTS { break }
                } else if step.sourceIsLive {
                    break
                }
            }
            held[feed]!.removeFirst()
            process(event, from: feed, &step)
        }
    }

    /// Follower events held for the leader at most: about 20 s of a five-rendition ladder with
    /// audio at 30 fps (~170 samples/s), far beyond any transcoder's delay.
    static let maximumHeldEvents = 4_096

    /// Closes open parts and segments and ends the feed's renditions.
    private mutating func finish(_ feed: Feed, _ step: inout Step) {
        guard let session = tracks[feed] else { return }
        for i in session.indices {
            guard let actions = tracks[feed]![i]?.segmenter.flush() else { continue }
            apply(actions, feed: feed, track: i, &step)
        }
        for track in session.compactMap({ $0 }) { step.actions.append(.end(rendition: track.rendition, at: step.now)) }
        tracks[feed] = nil
        if feed == .source {
            leaderDTS = nil
            statistics.markersDropped += pendingMarkers.count
            pendingMarkers = []
        }
    }

    private mutating func start(_ feed: Feed, _ infos: [TrackInfo], _ step: inout Step) {
        statistics.sessions += 1
        let leaderIndex = feed == .source ? (infos.firstIndex { $0.mediaType == .video } ?? infos.indices.first) : nil
        if feed == .source { anchor = nil }
        var session: [Track?] = []
        var listed: [String] = []
        var hidden: [String] = []
        for (index, info) in infos.enumerated() {
            let isAudio = info.mediaType == .audio
            if isAudio && plan.audioFromRenditions == (feed == .source) {
                session.append(nil)
                continue
            }
            let name = Self.renditionName(for: info, taken: listed)
            let isLeader = index == leaderIndex
            let firstMSN = isLeader ? nextMSN : (lastMSN[name].map { $0 + 1 } ?? 0)
            var segmenter = Segmenter(
                timescale: info.timescale,
                role: isLeader ? .leader : .follower,
                configuration: configuration,
                defaultDuration: Self.defaultDuration(of: info),
                isVideo: !isAudio,
                firstMSN: firstMSN
            )
            for boundary in boundaries {
                segmenter.leaderOpened(msn: boundary.msn, start: boundary.start.rescaled(to: info.timescale).ticks)
            }
            step.actions.append(.begin(rendition: name, track: info, initSegment: FMP4Writer.initSegment(for: info)))
            var captionScan: CaptionScan?
            do { captionScan = try CaptionScan(track: info) } catch { statistics.malformedCaptionData += 1 }
            if captionScan != nil { step.actions.append(.captions(rendition: name, channels: CaptionChannels())) }
            session.append(Track(segmenter: segmenter, rendition: name, isLeader: isLeader, isVideo: !isAudio, captionScan: captionScan))
            listed.append(name)
            if feed == .source && !isAudio && !plan.offerSource { hidden.append(name) }
        }
        tracks[feed] = session
        step.actions.append(.list(feed, renditions: listed, hidden: hidden))
    }

    private mutating func apply(_ actions: [Segmenter.Action], feed: Feed, track index: Int, _ step: inout Step) {
        guard let track = tracks[feed]?[index] else { return }
        let rendition = track.rendition
        let timescale = track.segmenter.timescale
        for action in actions {
            switch action {
            case .segmentOpened(let msn, let startDTS, let startPTS):
                let start = MediaTime(ticks: startPTS, timescale: timescale)
                let programDateTime = programDateTime(start, now: step.now)
                if track.isLeader {
                    nextMSN = max(nextMSN ?? 0, msn + 1)
                    announce(msn: msn, start: start)
                    place(at: msn, start: start, programDateTime: programDateTime, &step)
                } else {
                    fillGaps(in: rendition, timescale: timescale, before: msn, &step)
                }
                tracks[feed]![index]!.open = (programDateTime, 0)
                lastMSN[rendition] = msn
                step.actions.append(.openSegment(rendition: rendition, msn: msn, startDTS: startDTS, programDateTime: programDateTime))
            case .part(let part):
                tracks[feed]![index]!.open?.duration += part.duration
                step.actions.append(.publish(rendition: rendition, part: part))
                statistics.parts += 1
            case .segmentClosed(let msn, _):
                if track.isLeader, let open = tracks[feed]![index]!.open {
                    remember(LeaderSegment(msn: msn, duration: MediaTime(ticks: open.duration, timescale: timescale),
                                           programDateTime: open.programDateTime))
                }
                tracks[feed]![index]!.open = nil
                step.actions.append(.closeSegment(rendition: rendition, msn: msn))
                statistics.segments += 1
            case .emptyGridPeriods(let count):
                statistics.emptyGridPeriods += count
            }
        }
    }

    /// A sample that speaks on a caption channel not seen before in its track's session marks its
    /// rendition with every channel found so far. Malformed caption data is counted; the sample is
    /// packaged as it is.
    private mutating func scanForCaptions(_ sample: Sample, with scan: CaptionScan, feed: Feed, track index: Int, _ step: inout Step) {
        do {
            let channels = try scan.channels(sample)
            guard !scan.found.isSuperset(of: channels) else { return }
            let found = scan.found.union(channels)
            tracks[feed]![index]!.captionScan!.found = found
            step.actions.append(.captions(rendition: tracks[feed]![index]!.rendition, channels: found))
        } catch {
            statistics.malformedCaptionData += 1
        }
    }

    /// The leader opened segment `msn` at `start`: every follower of both feeds cuts there.
    private mutating func announce(msn: Int, start: MediaTime) {
        boundaries.append((msn, start))
        if boundaries.count > Self.rememberedBoundaries { boundaries.removeFirst() }
        for feed in Array(tracks.keys) {
            for i in tracks[feed]!.indices {
                guard let track = tracks[feed]![i], !track.isLeader else { continue }
                tracks[feed]![i]!.segmenter.leaderOpened(msn: msn, start: start.rescaled(to: track.segmenter.timescale).ticks)
            }
        }
    }

    private mutating func remember(_ segment: LeaderSegment) {
        leaderSegments.append(segment)
        if leaderSegments.count > configuration.maximumGapSegments { leaderSegments.removeFirst() }
    }

    /// A follower that skipped segment numbers (its transcoder was down, or it fell behind) lists
    /// them as gaps, with the leader's durations, so its numbering stays the channel's.
    private mutating func fillGaps(in rendition: String, timescale: UInt32, before msn: Int, _ step: inout Step) {
        guard let last = lastMSN[rendition], msn > last + 1 else { return }
        let first = max(last + 1, msn - configuration.maximumGapSegments)
        let target = configuration.segmentTarget.rescaled(to: timescale).ticks
        for gap in first..<msn {
            let leader = leaderSegments.last { $0.msn == gap }
            step.actions.append(.gap(
                rendition: rendition, msn: gap,
                duration: leader?.duration.rescaled(to: timescale).ticks ?? target,
                programDateTime: leader?.programDateTime ?? step.now
            ))
            statistics.gaps += 1
        }
    }

    private func programDateTime(_ time: MediaTime, now: Int64) -> Int64 {
        guard let anchor else { return now }
        return anchor.wallClock + time.milliseconds - anchor.time.milliseconds
    }

    /// Characters of a rendition name the packager makes: the control API's bound on the
    /// renditions a clip or an archive request names (`ControlLimits.renditionNameLength`).
    static let maximumRenditionNameLength = 32

    /// Leader boundaries a follower starting late is seeded with: a transcoder seconds behind.
    static let rememberedBoundaries = 16

    /// The rendition a track is packaged as, from the track alone and the names its session's
    /// earlier tracks took, so identical inputs give identical names on every origin: its
    /// producer's name (a ladder rung), else `source` for video and `audio` for the first audio
    /// (the default); a further audio is `audio-{language}` when its language is known (`audio-fra`,
    /// `audio-pt-br`: the tag in lower case, letters, digits and `-`), free and short enough, else
    /// numbered (`audio2`, ...).
    static func renditionName(for info: TrackInfo, taken: [String]) -> String {
        let base = info.rendition ?? (info.mediaType == .video ? "source" : "audio")
        if info.rendition == nil, info.mediaType == .audio, taken.contains(base), let language = info.language {
            let name = "\(base)-\(language.value.lowercased())"
            if name.utf8.count <= Self.maximumRenditionNameLength, !taken.contains(name) { return name }
        }
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

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
