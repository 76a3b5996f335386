import NIOConcurrencyHelpers
import NIOCore

/// The encrypted bytes of the segments and parts served lately, so that each object is encrypted
/// once however many viewers (or edges, or a CDN's shields) ask for it.
///
/// An entry belongs to its owner (the live rendition it was cut by), held weakly: a rendition that
/// goes away (a channel stopped and started again, whose numbers may repeat) never has its old
/// entries served.
final class EncryptedObjects: Sendable {
    struct Key: Hashable {
        var owner: ObjectIdentifier?
        /// The object within its owner: `{msn}`, `{msn}.{part}`, or an archive path.
        var object: String
        var encryption: ContentEncryption
    }

    private struct Entry {
        weak var owner: (any AnyObject & Sendable)?
        var bytes: ByteBuffer
        var stamp: Int
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var stamp = 0
    }

    /// A 60 s window has 30 segments and 120 parts per rendition at the default timing (150
    /// objects); 2,048 holds the recent objects of a dozen renditions, twice the window's media
    /// at most.
    static let maximumObjects = 2_048

    private let state = NIOLockedValueBox(State())

    /// The cached bytes of `key`, if its owner is still the same.
    func bytes(_ key: Key, owner: (any AnyObject & Sendable)?) -> ByteBuffer? {
        state.withLockedValue { state in
            guard let entry = state.entries[key], entry.owner === owner else { return nil }
            return entry.bytes
        }
    }

    /// Keeps `bytes` for `key`; the oldest quarter goes when the cache is full.
    func keep(_ bytes: ByteBuffer, for key: Key, owner: (any AnyObject & Sendable)?) {
        state.withLockedValue { state in
            if state.entries.count >= Self.maximumObjects {
                let cut = state.entries.values.map(\.stamp).sorted()[Self.maximumObjects / 4]
                state.entries = state.entries.filter { $0.value.stamp > cut && ($0.value.owner != nil || $0.key.owner == nil) }
            }
            state.stamp += 1
            state.entries[key] = Entry(owner: owner, bytes: bytes, stamp: state.stamp)
        }
    }

    var count: Int { state.withLockedValue { $0.entries.count } }
}
