import Control
import Delivery
import Foundation
import Ingest
import Logging
import ServiceLifecycle

/// Keeps what runs in step with the control plane's database, whoever changed it: at once for a
/// change made through this server (``ControlStore/rightsChanged``), and every ``interval`` for
/// one made elsewhere (another origin, the operator CLI), it
/// - disconnects live publishes whose stream key was revoked or deleted (with its channel);
/// - stops channels that were deleted or renamed (their playback answers 404; a renamed channel
///   starts again under its new name on its next publish);
/// - applies visibility and encryption changes to playback, and P2P changes to the tracker.
///
/// Each pass is two indexed queries at most, and none while no channel runs.
public struct ControlPlaneSync: Service {
    let store: ControlStore
    let runtime: ChannelRuntime
    let publishes: LivePublishes
    let logger: Logger
    /// How often changes made elsewhere are looked for. Each pass costs two queries, which on
    /// this machine is more than packaging a channel's media; 2 s keeps a revocation made on
    /// another origin or with the CLI effective within about 2 s.
    var interval: Duration = .seconds(2)

    public init(store: ControlStore, runtime: ChannelRuntime, publishes: LivePublishes, logger: Logger) {
        self.store = store
        self.runtime = runtime
        self.publishes = publishes
        self.logger = logger
    }

    public func run() async throws {
        await store.followChanges(every: interval, logger: logger, what: "control plane sync") { try await pass() }
    }

    func pass() async throws(ControlError) {
        let keys = publishes.grants.compactMap { $0.credential.flatMap(UUID.init(uuidString:)) }
        if !keys.isEmpty {
            let active = try await store.activeStreamKeys(among: keys)
            publishes.disconnect(reason: "its stream key was revoked") { grant in
                guard let key = grant.credential.flatMap(UUID.init(uuidString:)) else { return false }
                return !active.contains(key)
            }
        }
        let running = runtime.channels
        guard !running.isEmpty else { return }
        let stored = Dictionary(try await store.channels(ids: running.map(\.id)).map { ($0.id, $0) }) { first, _ in first }
        for channel in running {
            guard let current = stored[channel.id], current.name == channel.name else {
                publishes.disconnect(reason: "its channel was deleted or renamed") { $0.channel == channel.name }
                runtime.remove(channel.name)
                continue
            }
            let visibility = ChannelVisibility(current.visibility)
            if visibility != channel.visibility {
                runtime.setVisibility(visibility, of: channel.name)
                logger.info("channel visibility changed", metadata: ["channel": "\(channel.name)", "visibility": "\(visibility)"])
            }
            let encryption = ContentEncryption(current.encryption)
            if encryption != channel.encryption {
                runtime.setEncryption(encryption, of: channel.name)
                logger.info("channel encryption changed", metadata: ["channel": "\(channel.name)", "encrypted": "\(encryption != nil)"])
            }
            if current.p2p != channel.p2p {
                runtime.setP2P(current.p2p, of: channel.name)
                logger.info("channel P2P changed", metadata: ["channel": "\(channel.name)", "p2p": "\(current.p2p)"])
            }
        }
    }
}
