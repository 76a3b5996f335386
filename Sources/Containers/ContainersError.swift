/// The one error type of the `Containers` module, naming the structure that failed.
public enum ContainersError: Error, Sendable, Hashable {
    case truncated(what: String, needed: Int, available: Int)
    case invalid(what: String, reason: String)
    case unsupported(what: String, reason: String)
}

extension ContainersError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated(let what, let needed, let available): "\(what): truncated (need \(needed) bytes, have \(available))"
        case .invalid(let what, let reason): "\(what): invalid: \(reason)"
        case .unsupported(let what, let reason): "\(what): unsupported: \(reason)"
        }
    }
}
