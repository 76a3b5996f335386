import Hub
import MediaCore
import NIOConcurrencyHelpers
import NIOCore

/// Packages one channel: reads its hub track sets and keeps one `LiveRendition` per track.
///
/// Two track sets feed it: the encoder's (`source`: its video, and its audio as the shared group
/// `audio`) and, when the channel is transcoded, the transcoder's renditions (`720p`, … and maybe an
/// encoded `audio`). The source video leads segmentation: every other track follows its boundaries,
/// so segment N of every rendition covers the same media time and carries the same number.
///
/// Both readers hand their batches to one ``PackagingContext``, which runs the channel's
/// ``ChannelSessions`` and carries out the actions here, on the live renditions, outside any lock.
public final class ChannelPackager: Sendable {
    public let name: String
    public let configuration: PackagerConfiguration
    public let plan: RenditionPlan
    private let source: HubChannel
    private let transcoded: HubChannel?
    private let now: @Sendable () -> Int64
    private let onSegment: (@Sendable (CompletedSegment) -> Void)?
    private let onMarker: (@Sendable (LiveMarker) -> Void)?
    private let state = NIOLockedValueBox(State())
    private let context: PackagingContext

    private struct State {
        var renditions: [String: LiveRendition] = [:]
        /// Renditions of the current (or last) session of each feed, in track order.
        var current: [Feed: [String]] = [:]
        /// The source video when the plan does not offer it: segmented, not listed.
        var hidden: Set<String> = []
        /// The transcoder cannot serve this session: offer the source after all.
        var sourceFallback = false

        var listed: [String] {
            let names = (current[.source] ?? []) + (current[.renditions] ?? [])
            return sourceFallback ? names : names.filter { !hidden.contains($0) }
        }
        var statistics = PackagerStatistics()
        /// Markers placed, oldest first (``maximumMarkers``).
        var markers: [LiveMarker] = []
    }

    /// Markers a channel holds at most: enough for a DVR window of hours with an ad break every
    /// few minutes; the oldest go first.
    public static let maximumMarkers = 256

    /// Events a packager may lag behind the publisher before the hub cuts it off: about 20 s of
    /// 60 fps video with 48 kHz AAC (~107 events/s).
    static let hubQueueCapacity = 2_048

    /// - Parameters:
    ///   - renditions: the track set the channel's transcoder publishes on, if it is transcoded.
    ///   - now: wall clock, Unix epoch milliseconds (injected for tests).
    ///   - onSegment: gets every completed segment and gap of every offered rendition, in order
    ///     per rendition, on the packaging path, with no lock held: it must not block.
    ///   - onMarker: gets every marker as it starts (its segment opens), likewise.
    public init(
        channel: HubChannel,
        renditions: HubChannel? = nil,
        plan: RenditionPlan = RenditionPlan(),
        configuration: PackagerConfiguration,
        now: @escaping @Sendable () -> Int64,
        onSegment: (@Sendable (CompletedSegment) -> Void)? = nil,
        onMarker: (@Sendable (LiveMarker) -> Void)? = nil
    ) {
        self.onSegment = onSegment
        self.onMarker = onMarker
        self.name = channel.name
        self.source = channel
        self.transcoded = renditions
        self.plan = plan
        self.configuration = configuration
        self.now = now
        self.context = PackagingContext(ChannelSessions(plan: plan, configuration: configuration))
    }

    /// The listed renditions: video variants first (the source, then the transcoded ones in ladder
    /// order), then audio.
    public var renditions: [LiveRendition] {
        state.withLockedValue { state in
            let listed = state.listed.compactMap { state.renditions[$0] }
            return listed.filter { $0.mediaType != .audio } + listed.filter { $0.mediaType == .audio }
        }
    }

    /// A listed rendition by name. The source is not served when the plan does not offer it.
    public func rendition(named name: String) -> LiveRendition? {
        state.withLockedValue { state in state.listed.contains(name) ? state.renditions[name] : nil }
    }

    public var isLive: Bool { source.isLive }

    public var statistics: PackagerStatistics { state.withLockedValue { $0.statistics } }

    /// The markers placed, oldest first.
    public var markers: [LiveMarker] { state.withLockedValue { $0.markers } }

    /// Markers posted on the channel's hub since the last call.
    func takeMarkers() -> [ChannelMarker] { source.markers.take() }

    /// Runs until the task is cancelled. If the hub cuts a reader off, it resubscribes and the
    /// playlists continue after a discontinuity.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.read(self.source, as: .source) }
            if let transcoded {
                group.addTask { await self.read(transcoded, as: .renditions) }
            }
        }
    }

    private func read(_ channel: HubChannel, as feed: Feed) async {
        while !Task.isCancelled {
            let reader = channel.reader(capacity: Self.hubQueueCapacity)
            while let events = await reader.next() {
                await context.handle(events, from: feed, for: self)
            }
            await context.readerEnded(feed, resubscribing: !Task.isCancelled, for: self)
        }
    }

    /// Numbers segments after `msn` (the last one archived before a restart), so the media
    /// sequence never goes back. Call it before ``run()``: it holds from the next session on.
    public func resume(after msn: Int) async {
        await context.resume(after: msn)
    }

    /// Offers the source even though the plan does not, while the transcoder cannot serve the
    /// channel (a codec FFmpeg is not fed, say): viewers get the stream rather than nothing.
    public func fallBackToSource(_ fallBack: Bool) {
        state.withLockedValue { $0.sourceFallback = fallBack }
    }

    /// Carries out the sessions' actions on the live renditions, in order. Each rendition locks
    /// its window only to change it; the archive's callback runs with no lock held.
    func carryOut(_ actions: [ChannelSessions.Action], statistics: PackagerStatistics) {
        for action in actions {
            switch action {
            case .list(let feed, let names, let hidden):
                state.withLockedValue { state in
                    state.current[feed] = names
                    if feed == .source { state.hidden = Set(hidden) }
                }
            case .begin(let name, let track, let initSegment):
                rendition(for: name).begin(track: track, initSegment: initSegment)
            case .openSegment(let name, let msn, let startDTS, let programDateTime):
                rendition(for: name).open(msn: msn, startDTS: startDTS, programDateTime: programDateTime)
            case .publish(let name, let part):
                rendition(for: name).add(part)
            case .closeSegment(let name, let msn):
                let rendition = rendition(for: name)
                rendition.close(msn: msn)
                completed(rendition, msn: msn)
            case .gap(let name, let msn, let duration, let programDateTime):
                let rendition = rendition(for: name)
                rendition.addGap(msn: msn, duration: duration, programDateTime: programDateTime)
                completed(rendition, msn: msn)
            case .captions(let name, let channels):
                rendition(for: name).markCaptions(channels)
            case .end(let name, let wallClock):
                rendition(for: name).end(at: wallClock)
            case .marker(let marker):
                state.withLockedValue { state in
                    state.markers.append(marker)
                    if state.markers.count > Self.maximumMarkers { state.markers.removeFirst() }
                }
                onMarker?(marker)
            }
        }
        state.withLockedValue { $0.statistics = statistics }
    }

    private func rendition(for name: String) -> LiveRendition {
        state.withLockedValue { state in
            if let existing = state.renditions[name] { return existing }
            let rendition = LiveRendition(name: name, configuration: configuration)
            state.renditions[name] = rendition
            return rendition
        }
    }

    /// Hands a complete segment or gap to the archive, with the markers on it, unless it is the
    /// hidden source.
    private func completed(_ rendition: LiveRendition, msn: Int) {
        guard let onSegment else { return }
        // The source video segmented only to lead the transcoded renditions is not a rendition.
        let (hidden, markers) = state.withLockedValue { ($0.hidden.contains(rendition.name) && !$0.sourceFallback, $0.markers) }
        guard !hidden, let segment = rendition.completed(msn: msn, channel: name, markers: markers) else { return }
        onSegment(segment)
    }

    var wallClock: Int64 { now() }
}

/// Which track set an event came from.
enum Feed: Hashable, Sendable {
    case source, renditions
}

/// How a channel's renditions are offered.
public struct RenditionPlan: Sendable, Hashable {
    /// List and serve the encoder's video as rendition `source`. When false it is still segmented
    /// (it leads every rendition's boundaries) but neither listed nor served.
    public var offerSource: Bool
    /// The shared audio group is encoded by the transcoder; otherwise it is the encoder's audio.
    public var audioFromRenditions: Bool
    /// The multivariant playlist also lists the audio group as an audio-only variant.
    public var audioOnlyVariant: Bool

    public init(offerSource: Bool = true, audioFromRenditions: Bool = false, audioOnlyVariant: Bool = false) {
        self.offerSource = offerSource
        self.audioFromRenditions = audioFromRenditions
        self.audioOnlyVariant = audioOnlyVariant
    }
}

public struct PackagerStatistics: Sendable, Hashable {
    public var sessions = 0
    public var samples = 0
    public var parts = 0
    public var segments = 0
    /// Segments listed as EXT-X-GAP because a follower rendition had nothing for them.
    public var gaps = 0
    /// Grid periods the leader went through without a key frame (a key-frame interval longer than
    /// the segment target): from each on, an instance that joins later numbers one higher than
    /// this one (docs/NUMBERING.md).
    public var emptyGridPeriods = 0
    /// Samples for a track index that the current track set does not have.
    public var unknownTrackSamples = 0
    public var resubscriptions = 0
    /// Samples or decoder configurations whose caption data (SEI) could not be parsed.
    public var malformedCaptionData = 0
    /// Markers placed on a segment.
    public var markers = 0
    /// Markers that could not be placed: posted with no source session, or past the pending bound.
    public var markersDropped = 0
}

extension LiveRendition {
    var mediaType: MediaType? { track?.mediaType }
}
