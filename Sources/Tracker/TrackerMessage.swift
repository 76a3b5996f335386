import Foundation

/// What a peer sends the tracker, one JSON object per WebSocket text message:
///
///     {"t":"have","o":["720p/41.m4s","audio/41.m4s"]}       the objects it holds now (all of them)
///     {"t":"signal","to":"00a1…","d":{"kind":"offer","sdp":"v=0…"}}
///     {"t":"report","peer":"00a1…"}                          that peer sent an object whose digest failed
///
/// Anything else, a field of the wrong type, or a value beyond ``TrackerLimits`` is refused whole.
public enum TrackerMessage: Equatable, Sendable {
    case have([String])
    case signal(to: PeerID, PeerSignal)
    case report(PeerID)

    private struct Wire: Decodable {
        var t: String
        var o: [String]?
        var to: String?
        var d: PeerSignal?
        var peer: String?
    }

    public init(json bytes: some Collection<UInt8>) throws(TrackerError) {
        guard bytes.count <= TrackerLimits.maximumMessageBytes else { throw .messageTooLong(bytes.count) }
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(bytes))
        } catch {
            throw .malformedMessage("not a message object")
        }
        switch wire.t {
        case "have":
            guard let objects = wire.o else { throw .malformedMessage("have without o") }
            guard objects.count <= TrackerLimits.maximumAnnouncedObjects else { throw .malformedMessage("\(objects.count) objects announced") }
            guard objects.allSatisfy(Self.isObjectName) else { throw .malformedMessage("an object name is not a media file name") }
            self = .have(objects)
        case "signal":
            guard let to = wire.to.flatMap(PeerID.init) else { throw .malformedMessage("signal without a peer id in to") }
            guard let signal = wire.d, signal.isWellFormed else { throw .malformedMessage("signal without a well-formed d") }
            self = .signal(to: to, signal)
        case "report":
            guard let peer = wire.peer.flatMap(PeerID.init) else { throw .malformedMessage("report without a peer id") }
            self = .report(peer)
        default:
            throw .malformedMessage("unknown type")
        }
    }

    /// `{rendition}/{file}`: letters, digits, `-`, `_` and `.`, one `/`, up to
    /// ``TrackerLimits/maximumObjectNameBytes``.
    static func isObjectName(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard (3...TrackerLimits.maximumObjectNameBytes).contains(utf8.count), utf8.filter({ $0 == 0x2F }).count == 1 else { return false }
        guard utf8.first != 0x2F, utf8.last != 0x2F else { return false }
        return utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E || $0 == 0x2F
        }
    }
}
