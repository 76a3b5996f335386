import Foundation

/// What the tracker sends a peer, one JSON object per WebSocket text message:
///
///     {"t":"welcome","id":"…","peers":[{"id":"…","o":[…]}],"ice":["stun:…"],"stunPort":3478}
///     {"t":"have","from":"…","o":[…]}          a peer joined (empty o) or holds new objects
///     {"t":"left","from":"…"}
///     {"t":"signal","from":"…","d":{…}}
///     {"t":"refused","reason":"swarm full"}     and the connection closes
public enum TrackerEvent: Equatable, Sendable {
    case welcome(id: PeerID, peers: [Holding])
    case have(from: PeerID, objects: [String])
    case left(PeerID)
    case signal(from: PeerID, PeerSignal)
    case refused(Refusal)

    /// A peer and what it holds.
    public struct Holding: Equatable, Sendable {
        public var id: PeerID
        public var objects: [String]
    }

    public enum Refusal: String, Equatable, Sendable {
        case swarmFull = "swarm full"
        case malformed = "malformed message"
        case rateLimited = "too many messages"
        case banned = "reported for bad data"
        case disabled = "P2P is off for this channel"
    }

    /// How the player reaches a STUN or TURN server, sent with every welcome.
    public struct ICE: Sendable, Equatable {
        /// `stun:` and `turn:` URLs (RFC 7064, RFC 7065) of servers the operator configured.
        public var servers: [String]
        /// Antenne's own STUN responder on the host the player reached, when it runs.
        public var stunPort: Int?

        public init(servers: [String] = [], stunPort: Int? = nil) {
            self.servers = servers
            self.stunPort = stunPort
        }
    }

    private struct Wire: Encodable {
        struct Peer: Encodable {
            var id: String
            var o: [String]
        }
        var t: String
        var id: String?
        var from: String?
        var peers: [Peer]?
        var o: [String]?
        var d: PeerSignal?
        var reason: String?
        var ice: [String]?
        var stunPort: Int?
    }

    /// The message as sent; the welcome carries `ice`.
    public func json(ice: ICE = ICE()) -> String {
        let wire: Wire = switch self {
        case .welcome(let id, let peers):
            Wire(t: "welcome", id: id.description, peers: peers.map { .init(id: $0.id.description, o: $0.objects) },
                 ice: ice.servers, stunPort: ice.stunPort)
        case .have(let from, let objects): Wire(t: "have", from: from.description, o: objects)
        case .left(let from): Wire(t: "left", from: from.description)
        case .signal(let from, let signal): Wire(t: "signal", from: from.description, d: signal)
        case .refused(let why): Wire(t: "refused", reason: why.rawValue)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain fields cannot fail.
        return String(decoding: (try? encoder.encode(wire)) ?? Data(), as: UTF8.self)
    }
}
