/// What a request outside playback asks for, told by its first path name: a label with few
/// values, so that a metric keeps few series whatever paths clients try.
public enum HTTPRouteClass: String, Sendable, Hashable, CaseIterable {
    /// `/watch`, `/embed/…`, `/admin` and the root.
    case page
    /// `/player/…`: the player's modules and its quality reports.
    case player
    /// `/api/…`: the control API.
    case api
    /// `/healthz`, `/readyz`.
    case health
    /// `/metrics`.
    case metrics
    /// Any other path: nothing serves it.
    case other

    public init(path: Substring) {
        let first = path.drop { $0 == "/" }.prefix { $0 != "/" && $0 != "?" }
        switch first {
        case "", "watch", "embed", "admin": self = .page
        case "player": self = .player
        case "api": self = .api
        case "healthz", "readyz": self = .health
        case "metrics": self = .metrics
        default: self = .other
        }
    }
}
