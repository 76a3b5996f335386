import Crypto
import NIOConcurrencyHelpers
import NIOCore
import Packager

/// The SHA-256 (FIPS 180-4) of every segment and part a rendition's live window holds, for the
/// player to check what a peer sent before it appends it. Each object is hashed once, the first
/// time its digests are asked for after it is produced, and forgotten when it leaves the window.
/// Object names are those of the playlist's URIs: `{msn}.m4s` and `{msn}.{part}.m4s`.
public final class ObjectDigests: Sendable {
    /// By `channel/rendition`, then by file name: lower-case hex.
    private let known = NIOLockedValueBox<[String: [String: String]]>([:])

    public init() {}

    /// Every object of `rendition`'s window now, and its digest.
    public func digests(channel: String, rendition: any LiveRenditionWindow) -> [String: String] {
        guard let snapshot = rendition.snapshot() else { return [:] }
        let key = "\(channel)/\(rendition.name)"
        let held = known.withLockedValue { $0[key] ?? [:] }
        var current: [String: String] = [:]
        for segment in snapshot.segments where !segment.gap {
            for part in segment.parts {
                let name = "\(segment.msn).\(part.index).m4s"
                current[name] = held[name] ?? Self.hex([part.data])
            }
            if let data = segment.data {
                let name = "\(segment.msn).m4s"
                current[name] = held[name] ?? Self.hex(data)
            }
        }
        // Hashed outside the lock; what left the window is forgotten with the previous table.
        known.withLockedValue { $0[key] = current }
        return current
    }

    static func hex(_ buffers: [ByteBuffer]) -> String {
        var hash = SHA256()
        for buffer in buffers { buffer.withUnsafeReadableBytes { hash.update(bufferPointer: $0) } }
        return hash.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
