import Codecs

/// The one error type of the `Containers` module, naming the structure that failed.
public enum ContainersError: Error, Sendable, Hashable {
    case truncated(what: String, needed: Int, available: Int)
    case invalid(what: String, reason: String)
    case unsupported(what: String, reason: String)
    /// A count or length read from the input is larger than the named limit.
    case limitExceeded(what: String, value: Int, limit: Int)
    /// A codec structure carried by the container (parameter set, ADTS header, NAL framing) failed.
    case codec(what: String, CodecsError)
}

extension ContainersError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated(let what, let needed, let available): "\(what): truncated (need \(needed) bytes, have \(available))"
        case .invalid(let what, let reason): "\(what): invalid: \(reason)"
        case .unsupported(let what, let reason): "\(what): unsupported: \(reason)"
        case .limitExceeded(let what, let value, let limit): "\(what): \(value) exceeds the limit of \(limit)"
        case .codec(let what, let error): "\(what): \(error)"
        }
    }
}
