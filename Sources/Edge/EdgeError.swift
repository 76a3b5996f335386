import Containers
import Manifests

/// Why a pull from an origin failed. Each case carries the URL (without its token) it concerns.
public enum EdgeError: Error, CustomStringConvertible {
    /// The origin could not be reached, or the request failed on the way.
    case transport(url: String, reason: String)
    /// The origin answered a status the pull cannot use.
    case status(url: String, code: Int)
    /// The origin sent more than a named limit allows.
    case tooLarge(url: String, what: String, limit: Int)
    /// The origin's answer did not come in time (a blocking reload overdue, a stalled transfer).
    case overdue(url: String)
    /// The origin's playlist cannot be read.
    case playlist(url: String, ManifestError)
    /// The origin's media cannot be read.
    case media(url: String, ContainersError)
    /// The origin lists something the relay cannot follow (a hole in the numbering, an unknown map).
    case unusable(url: String, reason: String)

    /// The origin itself failed (unreachable, late, erring), rather than answering that it has
    /// nothing to give: another origin is worth asking.
    public var isOriginFailure: Bool {
        switch self {
        case .transport, .overdue: true
        case .status(_, let code): code >= 500
        case .tooLarge, .playlist, .media, .unusable: false
        }
    }

    public var description: String {
        switch self {
        case .transport(let url, let reason): "\(url): \(reason)"
        case .status(let url, let code): "\(url): HTTP \(code)"
        case .tooLarge(let url, let what, let limit): "\(url): \(what) over \(limit) bytes"
        case .overdue(let url): "\(url): no answer in time"
        case .playlist(let url, let error): "\(url): \(error)"
        case .media(let url, let error): "\(url): \(error)"
        case .unusable(let url, let reason): "\(url): \(reason)"
        }
    }
}
