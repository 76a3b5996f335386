import Control
import Foundation
import Logging
import Restream
import ServiceLifecycle

/// Keeps the server's pushes (``Restreamer``) in step with the destinations the control plane
/// holds, and reports each push's status back to it for the API: at once for a change made
/// through this server (``ControlStore/rightsChanged``), and every ``interval`` otherwise.
///
/// A destination whose URL or key the restreamer refuses does not push; its last error says why.
/// Each pass is one query for the destinations (and one for their channels' names), plus one
/// write per destination whose status changed.
public struct RestreamSync: Service {
    let store: ControlStore
    let restreamer: Restreamer
    let logger: Logger
    /// How often destinations changed elsewhere are looked for and statuses reported: the API's
    /// status is at most this old.
    var interval: Duration = .seconds(2)

    public init(store: ControlStore, restreamer: Restreamer, logger: Logger) {
        self.store = store
        self.restreamer = restreamer
        self.logger = logger
    }

    public func run() async throws {
        await store.followChanges(every: interval, logger: logger, what: "restream sync") { try await pass() }
    }

    func pass() async throws(ControlError) {
        let pushes = try await store.destinationsToPush()
        var byChannel: [String: [RestreamDestination]] = [:]
        var reports: [UUID: DestinationStatus] = [:]
        for push in pushes {
            let stored = push.destination
            do {
                let url = try DestinationURL(stored.url, streamKey: push.streamKey?.value)
                byChannel[push.channelName, default: []].append(RestreamDestination(id: stored.id, url: url, rendition: stored.rendition))
            } catch {
                let refused = DestinationStatus(
                    state: .idle, lastError: error.description, bytesSent: stored.status.bytesSent,
                    droppedSamples: stored.status.droppedSamples)
                if !Self.same(refused, stored.status) { reports[stored.id] = refused }
            }
        }
        for (channel, destinations) in byChannel {
            restreamer.apply(destinations, to: channel)
        }
        restreamer.retain(channels: Set(byChannel.keys))
        for push in pushes {
            guard let status = restreamer.status(of: push.destination.id) else { continue }
            let report = DestinationStatus(
                state: DestinationStatus.State(rawValue: status.state.rawValue) ?? .idle,
                lastError: status.lastError, bytesSent: status.bytesSent, droppedSamples: Int64(status.droppedSamples))
            if !Self.same(report, push.destination.status) { reports[push.destination.id] = report }
        }
        try await store.recordDestinationStatus(reports)
    }

    /// Equal but for when it was reported.
    static func same(_ a: DestinationStatus, _ b: DestinationStatus) -> Bool {
        a.state == b.state && a.lastError == b.lastError && a.bytesSent == b.bytesSent && a.droppedSamples == b.droppedSamples
    }
}
