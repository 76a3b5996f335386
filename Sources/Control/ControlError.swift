/// The one error type of the `Control` module. Every case says what it is about, so the API layer
/// can map it to a status code and a log line needs no debugger.
///
/// Isolation rule: a resource that belongs to another organisation than the caller's is reported as
/// `.notFound`, never `.forbidden`, so its existence is not leaked. `.forbidden` is only for an
/// operation the caller's own role does not allow (a read-only token that tries to write, an
/// organisation token that tries a server-admin operation).
public enum ControlError: Error, Sendable, Hashable {
    /// `what` (for example "channel") does not exist, or is not visible to the caller's scope.
    case notFound(String)
    /// The request clashes with existing state: a duplicate channel name, a key already revoked.
    case conflict(String)
    /// A field failed validation. `field` is the input's name as the API spells it.
    case invalid(field: String, reason: String)
    /// A named limit (``ControlLimits``) would be exceeded, for example keys per channel.
    case limitExceeded(what: String, limit: Int)
    /// The caller's role does not allow this operation.
    case forbidden(String)
    /// The database failed; `context` names the operation and carries the driver's message.
    case database(String)
}

extension ControlError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notFound(let what):
            "\(what) not found"
        case .conflict(let reason):
            "conflict: \(reason)"
        case .invalid(let field, let reason):
            "\(field): invalid: \(reason)"
        case .limitExceeded(let what, let limit):
            "\(what): limit of \(limit) reached"
        case .forbidden(let reason):
            "forbidden: \(reason)"
        case .database(let context):
            "database: \(context)"
        }
    }
}
