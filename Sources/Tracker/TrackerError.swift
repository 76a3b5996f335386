/// What goes wrong in the tracker: a message a peer sent that is refused, a STUN datagram that
/// does not parse. Each case says what and, where it helps, how much.
public enum TrackerError: Error, Equatable, CustomStringConvertible {
    /// A signalling message that is not one of ``TrackerMessage``'s forms.
    case malformedMessage(String)
    /// A signalling message longer than ``TrackerLimits/maximumMessageBytes``.
    case messageTooLong(Int)
    /// A STUN datagram that is not a binding request Antenne answers (RFC 8489 §5, §6).
    case malformedSTUN(String)

    public var description: String {
        switch self {
        case .malformedMessage(let why): "malformed signalling message: \(why)"
        case .messageTooLong(let bytes): "signalling message of \(bytes) bytes (limit \(TrackerLimits.maximumMessageBytes))"
        case .malformedSTUN(let why): "malformed STUN message: \(why)"
        }
    }
}
