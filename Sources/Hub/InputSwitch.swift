import MediaCore

/// Which input feeds a channel that has a primary and a backup publisher, and what its readers
/// receive: a state machine, publishers' events in (with the clock), the channel's events out.
///
/// - The first input to connect when no session is under way feeds the channel as it sends,
///   timestamps untouched: a channel with one publisher behaves as if there were no switch.
/// - The primary is lost when it ends, or when an event arrives ``Configuration/lossTimeout``
///   after its last video frame. The backup then takes over; a lost backup gives the channel back
///   to a primary that is alive.
/// - A primary that is back feeds the channel again once it has sent video for
///   ``Configuration/returnAfter`` without a loss.
/// - The slate feeds the channel while no live input is alive; a live input takes over from it as
///   soon as it sends.
/// - A switch happens on the incoming input's next key frame (the input in place goes on feeding
///   until then): readers get `.tracks` (a discontinuity), then its samples with their timestamps
///   moved so that the key frame's decode time is 0, as when an encoder starts a session. The
///   packager then opens a segment on that key frame at once and numbers it after the last.
/// - `.end` goes out only when neither input is left.
///
/// No timer: the loss of a stalled primary shows on the backup's events, and without a backup
/// there is nothing to switch to.
public struct InputSwitch: Sendable {
    public let configuration: Configuration

    /// One connected publisher.
    struct Input: Sendable {
        /// Its current track set, as it announced it.
        var tracks: [TrackInfo]?
        /// Arrival of its newest frame of the leading track.
        var lastFrame: ContinuousClock.Instant?
        /// Arrival of its first frame since it connected or was last lost.
        var steadySince: ContinuousClock.Instant?
        /// Decode time (of the leading track) its samples are moved back by, since it took over
        /// from the other input; nil while it feeds the channel as it sends.
        var origin: MediaTime?

        /// The track a switch waits for a sync sample of: the video, or the first track.
        var leadingTrack: Int? {
            guard let tracks, !tracks.isEmpty else { return nil }
            return tracks.firstIndex { $0.mediaType == .video } ?? 0
        }

        func isAlive(at now: ContinuousClock.Instant, _ configuration: Configuration) -> Bool {
            guard tracks != nil, let lastFrame else { return false }
            return now - lastFrame <= configuration.lossTimeout
        }

        func isSteady(at now: ContinuousClock.Instant, _ configuration: Configuration) -> Bool {
            guard isAlive(at: now, configuration), let steadySince else { return false }
            return now - steadySince >= configuration.returnAfter
        }
    }

    private var inputs: [InputRole: Input] = [:]
    /// The input whose events readers receive; nil when none does.
    public private(set) var active: InputRole?
    /// The input taking over at its next key frame.
    public private(set) var incoming: InputRole?
    /// Readers are in a session: an input fed the channel first, and `.end` has not gone out.
    public private(set) var sessionOpen = false
    /// Switches made from one input to the other (or to the one left) since the channel was created.
    public private(set) var switches = 0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Whether `role` has a publisher.
    public func isConnected(_ role: InputRole) -> Bool { inputs[role] != nil }

    /// A publisher of `role` connected. With no session under way, it feeds the channel at once.
    public mutating func connected(_ role: InputRole) {
        inputs[role] = Input()
        if active == nil, incoming == nil, !sessionOpen {
            active = role
            sessionOpen = true
        }
    }

    /// One event of the publisher of `role`, arrived at `now`: the events the channel's readers
    /// get for it, in order.
    public mutating func handle(_ event: HubEvent, from role: InputRole, at now: ContinuousClock.Instant) -> [HubEvent] {
        guard inputs[role] != nil else { return [] }
        switch event {
        case .tracks(let tracks):
            inputs[role]!.tracks = tracks
            return active == role ? [event] : []
        case .sample(let index, let sample):
            if index == inputs[role]!.leadingTrack { arrived(role, at: now) }
            decide(at: now)
            if incoming == role, index == inputs[role]!.leadingTrack, sample.isSync {
                return takeOver(role, first: sample) + forward(index, sample, from: role)
            }
            return active == role ? forward(index, sample, from: role) : []
        case .end:
            inputs[role] = nil
            if incoming == role { incoming = nil }
            if active == role { active = nil }
            decide(at: now)
            // With neither input feeding nor about to, the session ends.
            guard active == nil, incoming == nil, sessionOpen else { return [] }
            sessionOpen = false
            return [.end]
        }
    }

    /// A frame of the leading track of `role` arrived: a gap longer than the loss timeout was a
    /// loss, and steadiness counts from this frame.
    private mutating func arrived(_ role: InputRole, at now: ContinuousClock.Instant) {
        if let last = inputs[role]!.lastFrame, now - last <= configuration.lossTimeout {
            // Still steady.
        } else {
            inputs[role]!.steadySince = now
        }
        inputs[role]!.lastFrame = now
    }

    /// Chooses the input that should feed the channel and, if it is not the one that does, makes
    /// it incoming (or calls off a switch no longer wanted).
    private mutating func decide(at now: ContinuousClock.Instant) {
        let wanted = preferred(at: now)
        if wanted == active || wanted == nil {
            incoming = nil
        } else {
            incoming = wanted
        }
    }

    /// The input that should feed the channel now, or nil when the one in place should stay: an
    /// input in place that is alive stays until an input before it (``InputRole/allCases`` is in
    /// order of preference) has been steady long enough to come back (over the slate, alive is
    /// enough); one that is lost gives way to the first input alive; with none in place, the first
    /// alive, else the first connected.
    private func preferred(at now: ContinuousClock.Instant) -> InputRole? {
        guard sessionOpen else { return nil }
        let alive = { (role: InputRole) in inputs[role]?.isAlive(at: now, configuration) ?? false }
        if let active, alive(active) {
            let ready = { (role: InputRole) in
                active.isLive ? inputs[role]?.isSteady(at: now, configuration) ?? false : alive(role)
            }
            return InputRole.allCases.prefix { $0 != active }.first(where: ready)
        }
        if let first = InputRole.allCases.first(where: alive) { return first }
        return active == nil ? InputRole.allCases.first { inputs[$0] != nil } : nil
    }

    /// `role` takes over on its key frame `first`: readers get its track set as a new session.
    private mutating func takeOver(_ role: InputRole, first: Sample) -> [HubEvent] {
        guard let tracks = inputs[role]!.tracks, let leading = inputs[role]!.leadingTrack else { return [] }
        switches += 1
        active = role
        incoming = nil
        inputs[role]!.origin = MediaTime(ticks: first.dts, timescale: tracks[leading].timescale)
        return [.tracks(tracks)]
    }

    /// A sample of the active input, its timestamps moved back by the input's origin; nothing for
    /// a sample from before the origin (audio captured before the key frame a switch waited for).
    private func forward(_ index: Int, _ sample: Sample, from role: InputRole) -> [HubEvent] {
        guard let origin = inputs[role]!.origin else { return [.sample(track: index, sample)] }
        guard let tracks = inputs[role]!.tracks, tracks.indices.contains(index) else { return [] }
        var moved = sample
        moved.dts -= origin.rescaled(to: tracks[index].timescale).ticks
        guard moved.dts >= 0 else { return [] }
        return [.sample(track: index, moved)]
    }
}
