import Delivery
import HTTPTypes
import NIOConcurrencyHelpers

/// Who watches what, estimated from playback answers, the bytes each live channel sends and the
/// answers in error (4xx, 5xx) it gives.
///
/// A viewer session is one viewer of one rendition: a client (its playback token if it has one,
/// else its address and user agent) whose request for that rendition's playlist or media was
/// answered with success within the last ``window`` (twice the segment target: a player fetches
/// at least a segment or a playlist per target). A player that switches rendition counts in both
/// for a window; the channel's figure counts it once. Players behind one address with the same
/// user agent and no token count as one.
public final class PlaybackAudience: Sendable {
    /// Sessions tracked at most: 25 times the ~2,000 viewers of the largest single-server audience
    /// ARCHITECTURE.md names, at about 150 bytes each (two names, a hash, an instant) under 8 MB.
    /// A session beyond it is not tracked, and counted (``Snapshot/untracked``).
    public static let maximumSessions = 50_000

    /// Channels whose errors are counted between two snapshots, at most: errors name channels
    /// that may not exist (a 404 for any name), and only known channels are kept at a snapshot.
    /// A hundred times the 100+ channels of the largest lineup ARCHITECTURE.md names.
    public static let maximumErrorChannels = 10_000

    /// How long a session lasts after its last answer.
    public let window: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = NIOLockedValueBox(State())

    private struct Session: Hashable {
        var channel: String
        var rendition: String
        var viewer: Int
    }

    private struct State {
        var lastSeen: [Session: ContinuousClock.Instant] = [:]
        var sentBytes: [String: Int64] = [:]
        var errors: [String: Int64] = [:]
        var untracked = 0
        /// The last time sessions older than the window were dropped.
        var swept: ContinuousClock.Instant?

        mutating func sweep(at now: ContinuousClock.Instant, window: Duration) {
            lastSeen = lastSeen.filter { now - $0.value < window }
            swept = now
        }
    }

    /// What a scrape reports.
    public struct Snapshot: Sendable, Hashable {
        /// Sessions by channel, then rendition; renditions without one are left out.
        public var viewers: [String: [String: Int]] = [:]
        /// Distinct viewers by channel, every channel asked for listed.
        public var channelViewers: [String: Int] = [:]
        /// Body bytes answered with success, by channel, every channel asked for listed.
        public var sentBytes: [String: Int64] = [:]
        /// Answers in error (4xx, 5xx), by channel, every channel asked for listed.
        public var errors: [String: Int64] = [:]
        /// Sessions tracked now.
        public var tracked = 0
        /// Sessions not tracked because ``maximumSessions`` were.
        public var untracked = 0
    }

    /// - Parameter window: twice the segment target.
    public init(window: Duration, now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.window = window
        self.now = now
    }

    /// Counts one playback answer.
    func responded(_ event: PlaybackEvent) {
        guard let channel = event.channel else { return }
        guard event.status.kind == .successful else {
            guard event.status.kind == .clientError || event.status.kind == .serverError else { return }
            state.withLockedValue { state in
                guard state.errors[channel] != nil || state.errors.count < Self.maximumErrorChannels else { return }
                state.errors[channel, default: 0] += 1
            }
            return
        }
        let session = event.rendition.map { Session(channel: channel, rendition: $0, viewer: Self.viewer(of: event)) }
        let at = now()
        let window = window
        state.withLockedValue { state in
            state.sentBytes[channel, default: 0] += Int64(event.bytes)
            guard let session else { return }
            if state.lastSeen[session] == nil, state.lastSeen.count >= Self.maximumSessions {
                // Full: drop the stale ones, at most once a window so that a full table of live
                // sessions costs nothing more per answer.
                if state.swept.map({ at - $0 >= window }) ?? true { state.sweep(at: at, window: window) }
                guard state.lastSeen.count < Self.maximumSessions else {
                    state.untracked += 1
                    return
                }
            }
            state.lastSeen[session] = at
        }
    }

    /// The audience of `channels` now; what belongs to no other channel is forgotten.
    public func snapshot(channels: Set<String>) -> Snapshot {
        let at = now()
        let window = window
        return state.withLockedValue { state in
            state.sweep(at: at, window: window)
            state.lastSeen = state.lastSeen.filter { channels.contains($0.key.channel) }
            state.sentBytes = state.sentBytes.filter { channels.contains($0.key) }
            state.errors = state.errors.filter { channels.contains($0.key) }
            var snapshot = Snapshot(tracked: state.lastSeen.count, untracked: state.untracked)
            var distinct: [String: Set<Int>] = [:]
            for session in state.lastSeen.keys {
                snapshot.viewers[session.channel, default: [:]][session.rendition, default: 0] += 1
                distinct[session.channel, default: []].insert(session.viewer)
            }
            for channel in channels {
                snapshot.channelViewers[channel] = distinct[channel]?.count ?? 0
                snapshot.sentBytes[channel] = state.sentBytes[channel] ?? 0
                snapshot.errors[channel] = state.errors[channel] ?? 0
            }
            return snapshot
        }
    }

    /// The viewer: its token, else its address and user agent.
    private static func viewer(of event: PlaybackEvent) -> Int {
        var hasher = Hasher()
        if let token = event.token {
            hasher.combine(0)
            hasher.combine(token)
        } else {
            hasher.combine(1)
            hasher.combine(event.client)
            hasher.combine(event.userAgent)
        }
        return hasher.finalize()
    }
}
