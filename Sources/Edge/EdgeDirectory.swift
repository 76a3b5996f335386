import Delivery
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Packager

/// The channels an edge serves: pulled from its origins when a viewer first asks for one (that
/// first request, and any other that comes meanwhile, waits for it: one discovery however many
/// ask), dropped when nobody has asked for one in ``idleTimeout``. The origins need to know
/// nothing of their edges.
public final class EdgeDirectory: LiveWindowDirectory {
    let pool: OriginPool
    let signer: PlaybackSigner?
    let limits: EdgeLimits
    let logger: Logger
    let now: @Sendable () -> Int64
    private let state = NIOLockedValueBox([String: Entry]())

    enum Entry {
        /// Being discovered: what the waiting requests wait for.
        case arriving(Task<Void, Never>)
        /// Pulled: the channel and its renditions' pulls.
        case pulled(EdgeChannel, [Task<Void, Never>])
    }

    /// How long a viewer's first request for a channel waits for the edge to pull it, and how
    /// long discovery may take: the origin's own wait for a channel (an edge of an edge) plus
    /// its first segments fit in far less.
    public static let discoveryTimeout: Duration = .seconds(10)

    /// A channel nobody asked for in this long is no longer pulled. A player reloads its playlist
    /// at least every target duration; a minute without a request means nobody watches.
    public static let idleTimeout: TimeAmount = .seconds(60)

    public init(pool: OriginPool, signer: PlaybackSigner?, limits: EdgeLimits = EdgeLimits(), logger: Logger,
                now: @escaping @Sendable () -> Int64) {
        self.pool = pool
        self.signer = signer
        self.limits = limits
        self.logger = logger
        self.now = now
    }

    /// Channel names as Antenne accepts them (`PlaybackToken`'s rule): 1 to 64 ASCII letters,
    /// digits, `-` and `_`. Renditions are named the same way.
    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
    }

    public func channel(named name: String) -> (any LiveChannelWindow)? {
        guard case .pulled(let channel, _) = state.withLockedValue({ $0[name] }) else { return nil }
        channel.touch()
        return channel
    }

    public var channels: [any LiveChannelWindow] {
        pulled.map { $0 }
    }

    var pulled: [EdgeChannel] {
        state.withLockedValue { entries in
            entries.values.compactMap { entry in
                guard case .pulled(let channel, _) = entry else { return nil }
                return channel
            }
        }.sorted { $0.name < $1.name }
    }

    /// A channel the edge does not pull yet: the wait for its discovery, started by the first to ask.
    public func arrival(of name: String) -> (@Sendable () async -> Void)? {
        guard Self.isValidName(name) else { return nil }
        let task: Task<Void, Never>? = state.withLockedValue { entries in
            switch entries[name] {
            case .arriving(let task): return task
            case .pulled: return nil
            case nil:
                guard entries.count < limits.channels else { return nil }
                let task = Task { await self.discover(name) }
                entries[name] = .arriving(task)
                return task
            }
        }
        guard let task else { return nil }
        return { await task.value }
    }

    /// A channel's visibility, as its origin showed it: `token` once the origin asked the edge
    /// for a token.
    public func visibility(of name: String) -> ChannelVisibility {
        guard case .pulled(let channel, _) = state.withLockedValue({ $0[name] }) else { return .public }
        return channel.visibility
    }

    /// A pulled channel's encryption, as its origin lists its keys: the edge's playlists carry the
    /// same `EXT-X-KEY` lines, its media is the origin's encrypted bytes, and its keys are asked of
    /// the origin (``OriginPassThrough``).
    public func encryption(of name: String) -> ContentEncryption? {
        guard case .pulled(let channel, _) = state.withLockedValue({ $0[name] }) else { return nil }
        return channel.upstream.encryption
    }

    /// Whether a pulled channel has P2P on at its origin (``EdgeChannel/p2p``).
    public func isP2PEnabled(_ name: String) -> Bool {
        guard case .pulled(let channel, _) = state.withLockedValue({ $0[name] }) else { return false }
        return channel.p2p
    }

    /// Asks the origins again whether each pulled channel has P2P on: a change made at the origin
    /// reaches the edge's tracker within ``EdgeRelay/sweepInterval``.
    func refreshP2P() async {
        await withTaskGroup(of: Void.self) { group in
            for channel in pulled { group.addTask { await channel.refreshP2P(limits: self.limits) } }
        }
    }

    /// Stops pulling the channels nobody asked for in `idle` (``idleTimeout``).
    func dropIdle(after idle: TimeAmount = idleTimeout) {
        let deadline = NIODeadline.now() - idle
        let dropped: [(String, [Task<Void, Never>])] = state.withLockedValue { entries in
            var dropped: [(String, [Task<Void, Never>])] = []
            for (name, entry) in entries {
                guard case .pulled(let channel, let pulls) = entry, channel.lastAsked < deadline else { continue }
                entries[name] = nil
                dropped.append((name, pulls))
            }
            return dropped
        }
        for (name, pulls) in dropped {
            pulls.forEach { $0.cancel() }
            pool.statistics.count(\.channelsDropped)
            logger.info("channel no longer pulled: nobody asked for it", metadata: ["channel": "\(name)"])
        }
    }

    /// Stops every pull.
    func stopAll() {
        let entries = state.withLockedValue { entries in
            defer { entries = [:] }
            return entries
        }
        for entry in entries.values {
            switch entry {
            case .arriving(let task): task.cancel()
            case .pulled(_, let pulls): pulls.forEach { $0.cancel() }
            }
        }
    }

    /// Records how discovery ended: the channel pulled, or forgotten (the next viewer tries again).
    func settle(_ name: String, _ result: (EdgeChannel, [Task<Void, Never>])?) {
        state.withLockedValue { entries in
            entries[name] = result.map { .pulled($0.0, $0.1) }
        }
    }
}
