import Foundation

/// Ids on the wire: lowercase UUIDs (RFC 9562 §4 recommends lowercase on output). Input accepts
/// either case.
enum APIID {
    static func format(_ id: UUID) -> String { id.uuidString.lowercased() }
}
