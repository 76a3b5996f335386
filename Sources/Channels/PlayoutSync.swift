import Control
import Foundation
import Logging
import ServiceLifecycle

/// Keeps the server's ``PlayoutBoard`` in step with the channels' schedules and slates in the
/// control plane (a configured channel's slate is declared there at each start):
/// at once for a change made through this server (``ControlStore/rightsChanged``), and every
/// ``interval`` otherwise. A scheduled channel's player publishes with the channel's slate key:
/// the configured one for a channel the configuration gives a slate, else one made for this run
/// and stored as the channel's slate key (``ControlStore/declareSlateKey(channel:_:)``).
public struct PlayoutSync: Service {
    let store: ControlStore
    let board: PlayoutBoard
    /// Slate keys the configuration gives, by channel name.
    let configuredKeys: [String: String]
    let makeKey: @Sendable () -> String
    let logger: Logger
    /// How often schedules changed elsewhere are looked for: a change made on another origin
    /// plays within about 2 s.
    var interval: Duration = .seconds(2)

    public init(
        store: ControlStore, board: PlayoutBoard, configuredKeys: [String: String], makeKey: @escaping @Sendable () -> String,
        logger: Logger
    ) {
        self.store = store
        self.board = board
        self.configuredKeys = configuredKeys
        self.makeKey = makeKey
        self.logger = logger
    }

    public func run() async throws {
        await store.followChanges(every: interval, logger: logger, what: "playout sync") { try await pass() }
    }

    func pass() async throws(ControlError) {
        let known = board.current
        var entries: [String: PlayoutBoard.Entry] = [:]
        for scheduled in try await store.channelsToPlay() {
            let name = scheduled.channelName
            let key: String
            if let configured = configuredKeys[name] {
                key = configured
            } else if let made = known[name]?.streamKey {
                key = made
            } else {
                key = makeKey()
                try await store.declareSlateKey(channel: scheduled.channelID, key)
            }
            entries[name] = PlayoutBoard.Entry(schedule: scheduled.schedule, slate: scheduled.slate, streamKey: key)
        }
        if entries.keys.sorted() != known.keys.sorted() {
            logger.info("channels with a slate or a schedule", metadata: ["channels": "\(entries.keys.sorted().joined(separator: ","))"])
        }
        board.replace(entries)
    }
}
