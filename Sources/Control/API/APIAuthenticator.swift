import Foundation
import HTTPTypes

/// Turns an `Authorization: Bearer <token>` header into the caller's ``Scope``: the server admin
/// token gives ``Scope/serverAdmin``, an organisation's API token its organisation and role.
///
/// Tokens are never logged. The admin token is compared in constant time by
/// ``Scope/serverAdmin(presented:configured:)`` (both sides hashed first, so not even its length
/// leaks).
struct APIAuthenticator: Sendable {
    let store: ControlStore
    /// `nil` or empty when none is configured: no request is then server admin.
    private let adminToken: Secret?
    let maximumHeaderBytes: Int

    init(store: ControlStore, adminToken: Secret?, maximumHeaderBytes: Int) {
        self.store = store
        self.adminToken = adminToken
        self.maximumHeaderBytes = maximumHeaderBytes
    }

    func scope(for headers: HTTPFields) async throws -> Scope {
        guard let header = headers[.authorization] else {
            throw APIError.unauthorized("authentication required: send Authorization: Bearer <token>", invalidToken: false)
        }
        guard let token = bearerToken(header) else {
            throw APIError.unauthorized("the Authorization header must be Bearer <token>", invalidToken: true)
        }
        if let adminToken, let scope = Scope.serverAdmin(presented: token, configured: adminToken.value) { return scope }
        if let identity = try await store.authenticate(secret: token) { return identity.scope }
        throw APIError.unauthorized("the token is unknown or revoked", invalidToken: true)
    }

    /// The token of `Bearer <token>` (RFC 6750 §2.1: the scheme is case-insensitive, the token is
    /// b64token characters), or `nil`.
    func bearerToken(_ header: String) -> String? {
        guard header.utf8.count <= maximumHeaderBytes else { return nil }
        let parts = header.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1]
        guard token.utf8.allSatisfy(Self.isTokenByte) else { return nil }
        return String(token)
    }

    /// b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" (RFC 6750 §2.1).
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"),
             UInt8(ascii: "="):
            true
        default:
            false
        }
    }
}
