import NIOCore

/// Where archived objects live: a directory (``DiskArchiveStore``) or an S3-compatible bucket.
///
/// Objects are written whole and never changed: an object is either entirely there or absent,
/// whatever happens mid-write (a crash, a full disk, a dropped connection). That is what keeps the
/// archive's index, which is made of the objects' keys, consistent without a journal.
public protocol ArchiveStore: Sendable {
    /// Stores `data` under `key`, replacing nothing a reader could see half-written.
    func put(_ key: ArchiveKey, _ data: ByteBuffer) async throws(ArchiveError)

    /// Stores the concatenation of `parts` under `key`, as ``put(_:_:)`` does, without first
    /// copying them into one buffer where the store can avoid it (a clip made of slices of
    /// segments).
    func put(_ key: ArchiveKey, parts: [ByteBuffer]) async throws(ArchiveError)

    /// The object's bytes, or nil if there is no such object.
    func get(_ key: ArchiveKey) async throws(ArchiveError) -> ByteBuffer?

    /// Up to `count` bytes of the object from `offset` (fewer at its end), and the object's whole
    /// size; nil if there is no such object. For objects too large to read whole (clips).
    func read(_ key: ArchiveKey, from offset: Int64, count: Int) async throws(ArchiveError) -> ObjectRange?

    /// Every object whose key starts with `prefix` (a whole-component prefix such as
    /// `"ch/720p/20261122/"`, or empty for all), in ascending key order.
    func list(prefix: String) async throws(ArchiveError) -> [ArchiveObject]

    /// Removes the objects; keys that do not exist are ignored.
    func delete(_ keys: [ArchiveKey]) async throws(ArchiveError)

    /// The names of the components right below `prefix` (which ends with `/`, or is empty) that
    /// hold objects, sorted.
    func listDirectories(prefix: String) async throws(ArchiveError) -> [String]
}

extension ArchiveStore {
    /// This default joins the parts, then puts them.
    public func put(_ key: ArchiveKey, parts: [ByteBuffer]) async throws(ArchiveError) {
        var joined = ByteBufferAllocator().buffer(capacity: parts.reduce(0) { $0 + $1.readableBytes })
        for part in parts { joined.writeImmutableBuffer(part) }
        try await put(key, joined)
    }

    /// This default lists every object below; stores that can list one level (a directory,
    /// S3's `delimiter`) do better.
    public func listDirectories(prefix: String) async throws(ArchiveError) -> [String] {
        let names = try await list(prefix: prefix).compactMap { object -> String? in
            let rest = object.key.value.dropFirst(prefix.count)
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            return String(rest[..<slash])
        }
        return Array(Set(names)).sorted()
    }
}

/// Part of an object, as ``ArchiveStore/read(_:from:count:)`` returns it.
public struct ObjectRange: Sendable, Hashable {
    public var data: ByteBuffer
    /// The whole object's size.
    public var size: Int64

    public init(data: ByteBuffer, size: Int64) {
        self.data = data
        self.size = size
    }
}

/// One stored object, as listed.
public struct ArchiveObject: Sendable, Hashable {
    public var key: ArchiveKey
    public var size: Int64

    public init(key: ArchiveKey, size: Int64) {
        self.key = key
        self.size = size
    }
}
