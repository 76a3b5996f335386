import Delivery
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Packager

/// Peer-assisted delivery on the playback listener (issue 17):
/// - `GET /p2p/{channel}/{rendition}` upgraded to a WebSocket (RFC 6455) joins the swarm of that
///   rendition (``TrackerHub``, messages in ``TrackerMessage`` and ``TrackerEvent``);
/// - `GET /p2p/{channel}/{rendition}/digests.json` lists the SHA-256 of every object of the
///   rendition's live window (``ObjectDigests``).
///
/// Both only for a channel with P2P on, live here, and only for a viewer who may watch it: a token
/// channel asks for the same `?token=` as its playlists (``PlaybackAccess``).
public struct P2PTracker: Sendable {
    public let hub: TrackerHub
    let configuration: TrackerConfiguration
    let access: PlaybackAccess
    let packagers: any LiveWindowDirectory
    let digests = ObjectDigests()
    /// Unix seconds, for tokens.
    let now: @Sendable () -> Int64

    /// - Parameter now: wall clock in Unix seconds.
    public init(
        configuration: TrackerConfiguration, access: PlaybackAccess, packagers: any LiveWindowDirectory,
        hub: TrackerHub = TrackerHub(), now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        self.configuration = configuration
        self.access = access
        self.packagers = packagers
        self.hub = hub
        self.now = now
    }

    /// Longest path looked at: the prefix, two names of 64 and a token of a few hundred bytes.
    static let maximumPath = 2048

    /// The swarm a request names, if the viewer may join it: `path` is the request target
    /// (`/p2p/{channel}/{rendition}?token=…`).
    func admitted(_ target: String) -> (key: SwarmKey, rendition: any LiveRenditionWindow)? {
        guard target.utf8.count <= Self.maximumPath, let url = URLComponents(string: target) else { return nil }
        let names = url.path.split(separator: "/", omittingEmptySubsequences: false)
        guard names.count == 4, names[0].isEmpty, names[1] == "p2p" else { return nil }
        return admitted(channel: String(names[2]), rendition: String(names[3]), token: url.queryItems?.first { $0.name == PlaybackAccess.queryName }?.value)
    }

    func admitted(channel: String, rendition: String, token: String?) -> (key: SwarmKey, rendition: any LiveRenditionWindow)? {
        guard configuration.isEnabled(channel), let live = packagers.channel(named: channel),
              let window = live.listedRendition(named: rendition),
              access.admits(channel: channel, token: token, now: now())
        else { return nil }
        return (SwarmKey(channel: channel, rendition: rendition), window)
    }

    /// For ``HTTPServerBuilder/http1WebSocketUpgrade(configuration:shouldUpgrade:)``: the upgrade
    /// of a tracker request from `remote` (the connection's peer address, which a ban turns away);
    /// every other request goes on as HTTP.
    public func shouldUpgrade(
        _ request: HTTPRequest, from remote: SocketAddress?
    ) -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        guard let target = request.path, let swarm = admitted(target) else { return .dontUpgrade }
        let address = remote?.ipAddress
        return .upgrade([:], { inbound, outbound, _ in
            try await serve(swarm.key, from: address, inbound: inbound, outbound: outbound)
        })
    }

    /// What the upgrade configuration of the playback listener needs: frames no longer than one
    /// message.
    public static let webSocketConfiguration = WebSocketServerConfiguration(maxFrameSize: TrackerLimits.maximumMessageBytes)

    /// One peer's connection: its messages to the hub, the hub's events to it, until either side
    /// closes, or until P2P is turned off for the channel (seen at the peer's next message: a
    /// player announces every object it gets).
    func serve(_ key: SwarmKey, from address: String?, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let (peer, events) = hub.join(key, from: address)
        defer { hub.leave(peer) }
        let ice = configuration.ice
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in events { try await outbound.write(.text(event.json(ice: ice))) }
                // Finished by the tracker: refused, and closed (RFC 6455 §7.4.1); the peer's
                // close ends the reading below.
                try await outbound.close(.policyViolation, reason: nil)
            }
            for try await message in inbound.messages(maxSize: TrackerLimits.maximumMessageBytes) {
                guard configuration.isEnabled(key.channel) else {
                    hub.close(peer, .disabled)
                    continue
                }
                switch message {
                case .text(let text): hub.receive(Array(text.utf8), from: peer)
                case .binary(let buffer): hub.receive(Array(buffer.readableBytesView), from: peer)
                }
            }
            group.cancelAll()
        }
    }
}
