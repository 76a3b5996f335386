import NIOConcurrencyHelpers
import NIOCore

/// The encrypted bytes of the segments and parts served lately, so that each object is encrypted
/// once however many viewers (or edges, or a CDN's shields) ask for it, at once or later: the
/// viewers released together at the live edge (a blocking part) share the one encryption under
/// way.
///
/// An entry belongs to its owner (the live rendition it was cut by), held weakly: a rendition that
/// goes away (a channel stopped and started again, whose numbers may repeat) never has its old
/// entries served.
final class EncryptedObjects: Sendable {
    struct Key: Hashable {
        var owner: ObjectIdentifier?
        /// The object within its owner: `{channel}/{msn}`, `{channel}/{msn}.{part}`, or an archive path.
        var object: String
        var encryption: ContentEncryption
    }

    private enum Value {
        case ready(ByteBuffer)
        case pending(Task<ByteBuffer?, Never>)
    }

    private struct Entry {
        weak var owner: (any AnyObject & Sendable)?
        var value: Value
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

    /// The encrypted bytes of `key` when they are ready, if its owner is still the same.
    func bytes(_ key: Key, owner: (any AnyObject & Sendable)?) -> ByteBuffer? {
        state.withLockedValue { state in
            guard let entry = state.entries[key], entry.owner === owner, case .ready(let bytes) = entry.value else { return nil }
            return bytes
        }
    }

    /// The encrypted bytes of `key`: ready, on their way (awaited), or made now by `seal` (nil:
    /// they cannot be made now, and the next request tries again).
    func sealed(
        _ key: Key, owner: (any AnyObject & Sendable)?, seal: @escaping @Sendable () async -> ByteBuffer?
    ) async -> ByteBuffer? {
        let task = state.withLockedValue { state -> Task<ByteBuffer?, Never> in
            if let entry = state.entries[key], entry.owner === owner {
                switch entry.value {
                case .ready(let bytes): return Task { bytes }
                case .pending(let task): return task
                }
            }
            if state.entries.count >= Self.maximumObjects {
                // The oldest quarter goes: viewers are at the live edge.
                let cut = state.entries.values.map(\.stamp).sorted()[Self.maximumObjects / 4]
                state.entries = state.entries.filter { $0.value.stamp > cut && ($0.value.owner != nil || $0.key.owner == nil) }
            }
            let task = Task { await seal() }
            state.stamp += 1
            state.entries[key] = Entry(owner: owner, value: .pending(task), stamp: state.stamp)
            return task
        }
        let bytes = await task.value
        state.withLockedValue { state in
            guard let entry = state.entries[key], entry.owner === owner, case .pending = entry.value else { return }
            if let bytes { state.entries[key]?.value = .ready(bytes) } else { state.entries[key] = nil }
        }
        return bytes
    }

    var count: Int { state.withLockedValue { $0.entries.count } }
}
