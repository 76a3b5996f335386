import Foundation

/// What an organisation's API token may do within its organisation.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    /// Read and write everything the organisation owns.
    case admin
    /// Read only.
    case readOnly
}

/// Who is asking. Every store operation on an organisation's resources takes one, and filters by it:
/// an organisation scope never sees another organisation's rows (they read as not found).
public enum Scope: Sendable, Hashable {
    /// The server operator (`ANTENNE_ADMIN_TOKEN`, never stored): sees and changes everything.
    case serverAdmin
    /// A token of one organisation, with its role.
    case organisation(UUID, Role)

    /// The organisation this scope is confined to; `nil` for the server admin.
    public var organisationID: UUID? {
        switch self {
        case .serverAdmin: nil
        case .organisation(let id, _): id
        }
    }

    /// Whether this scope may create, change or delete.
    public var canWrite: Bool {
        switch self {
        case .serverAdmin, .organisation(_, .admin): true
        case .organisation(_, .readOnly): false
        }
    }

    /// Whether rows owned by `organisation` are visible to this scope.
    public func canSee(organisation: UUID) -> Bool {
        switch self {
        case .serverAdmin: true
        case .organisation(let id, _): id == organisation
        }
    }
}

extension Scope {
    /// Throws unless this scope may write.
    func requireWrite() throws(ControlError) {
        guard canWrite else { throw .forbidden("a read-only token cannot change anything") }
    }

    /// Throws unless this is the server admin.
    func requireServerAdmin(_ operation: String) throws(ControlError) {
        guard self == .serverAdmin else { throw .forbidden("\(operation) needs the server admin token") }
    }

    /// The organisation a list is confined to: the requested one if visible (else not found), the
    /// scope's own when none is requested, or every organisation (`nil`) for the server admin.
    func listFilter(requested: UUID?) throws(ControlError) -> UUID? {
        switch (self, requested) {
        case (.serverAdmin, let requested):
            return requested
        case (.organisation(let own, _), nil):
            return own
        case (.organisation(let own, _), let requested?):
            guard own == requested else { throw .notFound("organisation") }
            return own
        }
    }
}

/// The result of authenticating an organisation's API token.
public struct TokenIdentity: Sendable, Hashable {
    public let tokenID: UUID
    public let organisationID: UUID
    public let role: Role
    public let name: String

    /// The scope to pass to store calls made on behalf of this token.
    public var scope: Scope { .organisation(organisationID, role) }
}

extension Scope {
    /// The scope a presented bearer secret grants as the server admin: `.serverAdmin` if it equals
    /// the configured `ANTENNE_ADMIN_TOKEN`, else `nil` (try ``ControlStore/authenticate(secret:now:)``
    /// next). Both sides are hashed first, so the comparison takes the same time whatever the
    /// lengths and wherever they differ. An empty configured token matches nothing.
    public static func serverAdmin(presented: String, configured: String) -> Scope? {
        guard !configured.isEmpty else { return nil }
        let matches = SecretFormat.constantTimeEquals(SecretFormat.hash(presented), SecretFormat.hash(configured))
        return matches ? .serverAdmin : nil
    }
}
