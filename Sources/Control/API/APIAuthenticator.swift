import Crypto
import Foundation
import HTTPTypes

/// Turns an `Authorization: Bearer <token>` header into the caller's ``Scope``: the server admin
/// token gives ``Scope/serverAdmin``, an organisation's API token its organisation and role.
///
/// Tokens are never logged, and the admin token is kept only as its SHA-256, compared in constant
/// time (digests have one length, so not even the token's length leaks).
struct APIAuthenticator: Sendable {
    let store: ControlStore
    /// SHA-256 of the admin token; `nil` when none is configured (no request is then server admin).
    private let adminTokenDigest: [UInt8]?
    let maximumHeaderBytes: Int

    init(store: ControlStore, adminToken: Secret?, maximumHeaderBytes: Int) {
        self.store = store
        if let adminToken, !adminToken.value.isEmpty {
            adminTokenDigest = Array(SHA256.hash(data: Data(adminToken.value.utf8)))
        } else {
            adminTokenDigest = nil
        }
        self.maximumHeaderBytes = maximumHeaderBytes
    }

    func scope(for headers: HTTPFields) async throws -> Scope {
        guard let header = headers[.authorization] else {
            throw APIError.unauthorized("authentication required: send Authorization: Bearer <token>", invalidToken: false)
        }
        guard let token = bearerToken(header) else {
            throw APIError.unauthorized("the Authorization header must be Bearer <token>", invalidToken: true)
        }
        if isAdminToken(token) { return .serverAdmin }
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

    private func isAdminToken(_ token: String) -> Bool {
        guard let adminTokenDigest else { return false }
        let presented = Array(SHA256.hash(data: Data(token.utf8)))
        var difference: UInt8 = 0
        for index in presented.indices {
            difference |= presented[index] ^ adminTokenDigest[index]
        }
        return difference == 0
    }
}
