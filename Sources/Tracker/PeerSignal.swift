/// What two peers say to each other through the tracker to open a WebRTC connection: an SDP offer
/// or answer (RFC 8866, JSEP RFC 9429 §5) or one trickled ICE candidate (RFC 8838). The tracker
/// does not read them; it checks their shape and size and passes them on.
public struct PeerSignal: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case offer, answer, candidate
    }

    public var kind: Kind
    /// The session description, for an offer or an answer.
    public var sdp: String?
    /// The candidate line, its media id and m-line index, for a candidate (an empty line ends the
    /// trickle, RFC 8838 §4.4).
    public var candidate: String?
    public var mid: String?
    public var mline: Int?

    public init(kind: Kind, sdp: String? = nil, candidate: String? = nil, mid: String? = nil, mline: Int? = nil) {
        self.kind = kind
        self.sdp = sdp
        self.candidate = candidate
        self.mid = mid
        self.mline = mline
    }

    /// Whether the fields fit the kind and the limits.
    var isWellFormed: Bool {
        let strings = [sdp, candidate, mid].compactMap { $0 }
        guard strings.allSatisfy({ $0.utf8.count <= TrackerLimits.maximumSignalStringBytes }) else { return false }
        if let mline, !(0...64).contains(mline) { return false }
        switch kind {
        case .offer, .answer: return sdp != nil && candidate == nil
        case .candidate: return sdp == nil && candidate != nil
        }
    }
}
