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
    private var leader: LiveRendition?
    /// Decode time of the leader's newest sample: no boundary can come before it any more.
    private var leaderDTS: MediaTime?
    /// Follower samples waiting for the leader to pass their time, oldest first. A follower must
    /// not see a sample before the leader has announced any boundary at or before it, and the two
    /// feeds arrive on separate queues.
    private var held: [(feed: Feed, track: Int, sample: Sample)] = []
    private var heldStart = 0

    mutating func handle(_ event: HubEvent, from feed: Feed, packager: ChannelPackager) {
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
            if track.isLeader {
                append(sample, feed: feed, track: index, packager: packager)
                leaderDTS = MediaTime(ticks: sample.dts, timescale: track.segmenter.timescale)
            } else {
                held.append((feed, index, sample))
            }
            releaseHeld(packager: packager)
        case .end:
            finish(feed, packager: packager)
        }
    }

    private mutating func append(_ sample: Sample, feed: Feed, track index: Int, packager: ChannelPackager) {
        guard tracks[feed]?[index] != nil else { return }
        let actions = tracks[feed]![index]!.segmenter.append(sample)
        packager.count { $0.samples += 1 }
        apply(actions, feed: feed, track: index, packager: packager)
    }

    /// Hands held follower samples on, in order, once the leader is past them by a frame. A feed's
    /// end releases everything. Bounded: with the leader stalled or gone, the oldest go on anyway.
    private mutating func releaseHeld(packager: ChannelPackager, all: Bool = false) {
        while heldStart < held.count {
            let (feed, index, sample) = held[heldStart]
            if !all, held.count - heldStart <= Self.maximumHeldSamples, let track = tracks[feed]?[index] {
                guard let leaderDTS else { break }
                let time = MediaTime(ticks: sample.pts + track.segmenter.frameDuration, timescale: track.segmenter.timescale)
                if time > leaderDTS { break }
            }
            heldStart += 1
            append(sample, feed: feed, track: index, packager: packager)
        }
        if heldStart == held.count {
            held.removeAll(keepingCapacity: true)
            heldStart = 0
        } else if heldStart > 1_024 {
            held.removeFirst(heldStart)
            heldStart = 0
        }
    }

    /// Follower samples held for the leader at most: about 20 s of a five-rendition ladder with
    /// audio at 30 fps (~170 samples/s), far beyond any transcoder's delay.
    static let maximumHeldSamples = 4_096

    /// Closes open parts and segments and marks the feed's renditions as not live.
    mutating func finish(_ feed: Feed, packager: ChannelPackager) {
        guard let session = tracks[feed] else { return }
        releaseHeld(packager: packager, all: true)
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
            if !(feed == .source && !isAudio && !plan.offerSource) { listed.append(name) }
        }
        tracks[feed] = session
        packager.list(listed, for: feed)
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
