import Containers
import Hub
import MediaCore

/// The publish sessions of one channel's two feeds, segmented together: the source video leads,
/// every other track follows its boundaries.
struct ChannelSessions: Sendable {
    struct Track: Sendable {
        var segmenter: Segmenter
        var rendition: LiveRendition
        var isLeader: Bool
    }

    /// Tracks of each feed's current session, by hub track index; nil for a track that is not
    /// packaged (the encoder's audio when the transcoder encodes the audio group).
    private var tracks: [Feed: [Track?]] = [:]
    /// Recent boundaries of the leader, newest last: seeds followers that start late.
    private var boundaries: [(msn: Int, start: MediaTime)] = []
    /// Wall clock and media time of the source session's first sample (EXT-X-PROGRAM-DATE-TIME).
    private var anchor: (wallClock: Int64, time: MediaTime)?
    /// The leader's next segment number, kept across sessions: numbers never go back.
    private var nextMSN = 0

    /// Numbers the next segment after `msn` at the earliest: a channel restarted from its archive
    /// goes on where it stopped.
    mutating func resume(after msn: Int) {
        nextMSN = max(nextMSN, msn + 1)
    }
    private var leader: LiveRendition?
    /// Decode time of the leader's newest sample: no boundary can come before it any more.
    private var leaderDTS: MediaTime?
    /// Events of follower tracks waiting for the leader to pass their time, oldest first, per feed.
    /// The feeds arrive on separate queues, and a follower must not see a sample before the leader
    /// has announced every boundary at or before it.
    private var held: [Feed: HeldEvents] = [:]

    mutating func handle(_ event: HubEvent, from feed: Feed, packager: ChannelPackager) {
        if feed == .renditions {
            held[feed, default: HeldEvents()].append(event)
            release(.renditions, packager: packager)
            return
        }
        switch event {
        case .tracks, .end:
            release(.source, packager: packager, all: true)
            process(event, from: .source, packager: packager)
        case .sample(let index, let sample):
            if let track = tracks[.source]?[safe: index], track?.isLeader == true {
                process(event, from: .source, packager: packager)
                leaderDTS = MediaTime(ticks: sample.dts, timescale: track!.segmenter.timescale)
            } else {
                held[.source, default: HeldEvents()].append(event)
            }
        }
        release(.source, packager: packager)
        release(.renditions, packager: packager)
    }

    private mutating func process(_ event: HubEvent, from feed: Feed, packager: ChannelPackager) {
        switch event {
        case .tracks(let infos):
            finish(feed, packager: packager)
            start(feed, infos, packager: packager)
        case .sample(let index, let sample):
            guard let session = tracks[feed], session.indices.contains(index) else {
                packager.count { $0.unknownTrackSamples += 1 }
                return
            }
            guard let track = session[index] else { return }
            if feed == .source, anchor == nil {
                anchor = (packager.wallClock, MediaTime(ticks: sample.pts, timescale: track.segmenter.timescale))
            }
            let actions = tracks[feed]![index]!.segmenter.append(sample)
            packager.count { $0.samples += 1 }
            apply(actions, feed: feed, track: index, packager: packager)
        case .end:
            finish(feed, packager: packager)
        }
    }

    /// Processes a feed's held events, in order, while their samples lie a frame behind the
    /// leader. While the source is live but its session has not reached this reader yet, they
    /// wait; with no source at all, nothing can announce a boundary and they go on. Bounded: with
    /// the leader stalled, the oldest go on anyway.
    private mutating func release(_ feed: Feed, packager: ChannelPackager, all: Bool = false) {
        while let event = held[feed]?.first {
            if !all, held[feed]!.count <= Self.maximumHeldEvents, case .sample(let index, let sample) = event,
               let track = tracks[feed]?[safe: index] ?? nil {
                if let leaderDTS {
                    let time = MediaTime(ticks: sample.pts + track.segmenter.frameDuration, timescale: track.segmenter.timescale)
                    if time > leaderDTS { break }
                } else if packager.isLive {
                    break
                }
            }
            held[feed]!.removeFirst()
            process(event, from: feed, packager: packager)
        }
    }

    /// Follower events held for the leader at most: about 20 s of a five-rendition ladder with
    /// audio at 30 fps (~170 samples/s), far beyond any transcoder's delay.
    static let maximumHeldEvents = 4_096

    /// Closes open parts and segments and marks the feed's renditions as not live.
    private mutating func finish(_ feed: Feed, packager: ChannelPackager) {
        guard let session = tracks[feed] else { return }
        for i in session.indices {
            guard let actions = tracks[feed]![i]?.segmenter.flush() else { continue }
            apply(actions, feed: feed, track: i, packager: packager)
            if let track = tracks[feed]![i], track.isLeader { nextMSN = max(nextMSN, track.segmenter.msn) }
        }
        let now = packager.wallClock
        for track in session.compactMap({ $0 }) { track.rendition.end(at: now) }
        tracks[feed] = nil
        if feed == .source {
            leader = nil
            leaderDTS = nil
        }
    }

    private mutating func start(_ feed: Feed, _ infos: [TrackInfo], packager: ChannelPackager) {
        packager.count { $0.sessions += 1 }
        let plan = packager.plan
        let leaderIndex = feed == .source ? (infos.firstIndex { $0.mediaType == .video } ?? infos.indices.first) : nil
        if feed == .source { anchor = nil }
        var session: [Track?] = []
        var listed: [String] = []
        var hidden: [String] = []
        var taken: [String] = []
        for (index, info) in infos.enumerated() {
            let isAudio = info.mediaType == .audio
            if isAudio && plan.audioFromRenditions == (feed == .source) {
                session.append(nil)
                continue
            }
            let name = Self.renditionName(for: info, taken: taken)
            taken.append(name)
            let isLeader = index == leaderIndex
            let rendition = packager.rendition(for: name)
            let firstMSN = isLeader ? nextMSN : (rendition.lastMSN.map { $0 + 1 } ?? 0)
            var segmenter = Segmenter(
                timescale: info.timescale,
                role: isLeader ? .leader : .follower,
                configuration: packager.configuration,
                defaultDuration: Self.defaultDuration(of: info),
                isVideo: !isAudio,
                firstMSN: firstMSN
            )
            for boundary in boundaries {
                segmenter.leaderOpened(msn: boundary.msn, start: boundary.start.rescaled(to: info.timescale).ticks)
            }
            rendition.begin(track: info, initSegment: FMP4Writer.initSegment(for: info))
            if isLeader { leader = rendition }
            session.append(Track(segmenter: segmenter, rendition: rendition, isLeader: isLeader))
            listed.append(name)
            if feed == .source && !isAudio && !plan.offerSource { hidden.append(name) }
        }
        tracks[feed] = session
        packager.list(listed, hiding: hidden, for: feed)
    }

    private mutating func apply(_ actions: [Segmenter.Action], feed: Feed, track index: Int, packager: ChannelPackager) {
        guard let track = tracks[feed]?[index] else { return }
        let rendition = track.rendition
        let timescale = track.segmenter.timescale
        for action in actions {
            switch action {
            case .segmentOpened(let msn, let startDTS, let startPTS):
                let start = MediaTime(ticks: startPTS, timescale: timescale)
                if track.isLeader {
                    announce(msn: msn, start: start)
                } else {
                    fillGaps(in: rendition, before: msn, packager: packager)
                }
                rendition.open(msn: msn, startDTS: startDTS, programDateTime: programDateTime(start, packager: packager))
            case .part(let part):
                rendition.add(part)
                packager.count { $0.parts += 1 }
            case .segmentClosed(let msn, _):
                rendition.close(msn: msn)
                packager.count { $0.segments += 1 }
                packager.completed(rendition, msn: msn)
            }
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

    /// A follower that skipped segment numbers (its transcoder was down, or it fell behind) lists
    /// them as gaps, with the leader's durations, so its numbering stays the channel's.
    private func fillGaps(in rendition: LiveRendition, before msn: Int, packager: ChannelPackager) {
        guard let last = rendition.lastMSN, msn > last + 1, let timescale = rendition.track?.timescale else { return }
        let limit = packager.configuration.maximumGapSegments
        let first = max(last + 1, msn - limit)
        let target = packager.configuration.segmentTarget.rescaled(to: timescale).ticks
        for gap in first..<msn {
            var duration = target
            var programDateTime = packager.wallClock
            if let timing = leader?.timing(msn: gap) {
                duration = MediaTime(ticks: timing.duration, timescale: timing.timescale).rescaled(to: timescale).ticks
                programDateTime = timing.programDateTime
            }
            rendition.addGap(msn: gap, duration: duration, programDateTime: programDateTime)
            packager.count { $0.gaps += 1 }
            packager.completed(rendition, msn: gap)
        }
    }

    private func programDateTime(_ time: MediaTime, packager: ChannelPackager) -> Int64 {
        guard let anchor else { return packager.wallClock }
        return anchor.wallClock + time.milliseconds - anchor.time.milliseconds
    }

    /// Leader boundaries a follower starting late is seeded with: a transcoder seconds behind.
    static let rememberedBoundaries = 16

    static func renditionName(for info: TrackInfo, taken: [String]) -> String {
        let base = info.rendition ?? (info.mediaType == .video ? "source" : "audio")
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

/// A FIFO of hub events that pops from the front without shifting the array each time.
struct HeldEvents: Sendable {
    private var events: [HubEvent] = []
    private var head = 0

    var count: Int { events.count - head }
    var first: HubEvent? { head < events.count ? events[head] : nil }

    mutating func append(_ event: HubEvent) { events.append(event) }

    mutating func removeFirst() {
        head += 1
        if head == events.count {
            events.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1_024 {
            events.removeFirst(head)
            head = 0
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
