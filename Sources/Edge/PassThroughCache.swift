import Delivery
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A bounded disk cache of the answers an edge passes through to its origins (DVR and catch-up
/// playlists, archived segments, recordings, clips), so that a crowd watching the same catch-up
/// asks the origin once per object instead of once per viewer.
///
/// - What is kept: a 200 whose `Cache-Control` is `public` with a `max-age` above zero, and no
///   `private`, `no-store` or `no-cache`; its body, content type and `Cache-Control`, until
///   `max-age` runs out. Content keys (`private, no-store`), errors and token channels' playlists
///   (`private`) never are.
/// - The key is the path with the whole query, so a token channel's media is kept once per token
///   and never given to a request without that token, as the origin's cache policy asks of any
///   cache in front of it (Delivery's `CachePolicy`).
/// - An answer that is not `immutable` is served with what is left of its `max-age`, as a shared
///   cache states its `Age`, so no cache behind the edge holds it longer than the origin said.
/// - Files are named by a counter (`{n}.bin`), never by anything from a request, in a directory
///   of their own; the index is in memory and the directory's files of that form are removed at
///   start. Total bytes stay under ``maxBytes``, least recently used first out.
public final class PassThroughCache: Sendable {
    public let directory: URL
    /// Body bytes kept on disk at most.
    public let maxBytes: Int
    /// Largest answer kept: an eighth of the cache, so one clip cannot empty it.
    public var maxObjectBytes: Int { maxBytes / 8 }
    /// Answers kept at most, whatever their size: bounds the index in memory (about 200 bytes an
    /// entry) and the eviction's sort. A day of 2 s segments in five renditions is 216,000.
    public static let maxEntries = 250_000

    private let pool: NIOThreadPool
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = NIOLockedValueBox(State())

    struct Entry {
        var file: UInt64
        var size: Int
        var contentType: String?
        var cacheControl: String
        var expires: ContinuousClock.Instant
        var immutable: Bool
        var lastUse: UInt64
    }

    struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var nextFile: UInt64 = 0
        var uses: UInt64 = 0
        var hits = 0
        var misses = 0
        var writeFailures = 0
    }

    /// How long a shared cache may keep an answer, and whether it never changes.
    struct Freshness: Hashable {
        var maxAge: Duration
        var immutable: Bool
    }

    /// What `/metrics` shows of the cache.
    public struct Figures: Sendable, Hashable {
        public var hits: Int
        public var misses: Int
        public var bytes: Int
        public var entries: Int
        /// Answers that could not be written to disk (passed on all the same).
        public var writeFailures: Int
    }

    /// Creates the directory if needed and removes the files an earlier run left in it.
    public init(directory: URL, maxBytes: Int, pool: NIOThreadPool = .singleton,
                now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) throws {
        self.directory = directory
        self.maxBytes = maxBytes
        self.pool = pool
        self.now = now
        let files = FileManager.default
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in try files.contentsOfDirectory(atPath: directory.path) where Self.isOwnFile(name) {
            try files.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    public var figures: Figures {
        state.withLockedValue { Figures(hits: $0.hits, misses: $0.misses, bytes: $0.bytes, entries: $0.entries.count, writeFailures: $0.writeFailures) }
    }

    /// The kept answer for `key`, if it is still fresh and its file can be read.
    func answer(for key: String) async -> PlaybackUpstreamResponse? {
        let at = now()
        let found: Entry? = state.withLockedValue { state in
            guard var entry = state.entries[key], entry.expires > at else {
                state.misses += 1
                return nil
            }
            state.uses += 1
            entry.lastUse = state.uses
            state.entries[key] = entry
            state.hits += 1
            return entry
        }
        guard let entry = found else { return nil }
        let url = file(entry.file, suffix: "bin")
        // The file may have been evicted in the meantime: then it is a miss after all.
        guard let body = try? await pool.runIfActive { try Data(contentsOf: url) }, body.count == entry.size else {
            state.withLockedValue { $0.hits -= 1; $0.misses += 1 }
            return nil
        }
        let cacheControl = entry.immutable ? entry.cacheControl : Self.replacingMaxAge(in: entry.cacheControl, with: entry.expires - at)
        return PlaybackUpstreamResponse(status: .ok, contentType: entry.contentType, cacheControl: cacheControl, body: ByteBuffer(bytes: body))
    }

    /// Keeps `response` for `key` if its status and `Cache-Control` allow it and it fits.
    func keep(_ response: PlaybackUpstreamResponse, for key: String) async {
        guard response.status == .ok, let cacheControl = response.cacheControl,
              let freshness = Self.freshness(cacheControl), response.body.readableBytes <= maxObjectBytes else { return }
        let id = state.withLockedValue { state in
            defer { state.nextFile += 1 }
            return state.nextFile
        }
        let temporary = file(id, suffix: "tmp")
        let final = file(id, suffix: "bin")
        let bytes = Data(response.body.readableBytesView)
        do {
            try await pool.runIfActive {
                try bytes.write(to: temporary)
                guard rename(temporary.path, final.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
            }
        } catch {
            // A full or failing disk: the answer is passed on all the same, and counted.
            try? FileManager.default.removeItem(at: temporary)
            state.withLockedValue { $0.writeFailures += 1 }
            return
        }
        let entry = Entry(file: id, size: bytes.count, contentType: response.contentType, cacheControl: cacheControl,
                          expires: now() + freshness.maxAge, immutable: freshness.immutable, lastUse: 0)
        let evicted: [UInt64] = state.withLockedValue { state in
            state.uses += 1
            var entry = entry
            entry.lastUse = state.uses
            var out: [UInt64] = []
            if let old = state.entries.updateValue(entry, forKey: key) {
                state.bytes -= old.size
                out.append(old.file)
            }
            state.bytes += entry.size
            if state.bytes > maxBytes || state.entries.count > Self.maxEntries {
                out += Self.evict(&state, toBytes: maxBytes * 9 / 10, entries: Self.maxEntries * 9 / 10)
            }
            return out
        }
        guard !evicted.isEmpty else { return }
        let urls = evicted.map { file($0, suffix: "bin") }
        try? await pool.runIfActive {
            for url in urls { try? FileManager.default.removeItem(at: url) }
        }
    }

    /// Drops the least recently used entries until both bounds hold; returns their files.
    private static func evict(_ state: inout State, toBytes bytes: Int, entries count: Int) -> [UInt64] {
        var out: [UInt64] = []
        for (key, entry) in state.entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
            guard state.bytes > bytes || state.entries.count > count else { break }
            state.entries[key] = nil
            state.bytes -= entry.size
            out.append(entry.file)
        }
        return out
    }

    private func file(_ id: UInt64, suffix: String) -> URL {
        directory.appendingPathComponent("\(id).\(suffix)")
    }

    /// `{digits}.bin` or `{digits}.tmp`: the names this cache writes.
    static func isOwnFile(_ name: String) -> Bool {
        let parts = name.split(separator: ".")
        return parts.count == 2 && ["bin", "tmp"].contains(parts[1]) && !parts[0].isEmpty && parts[0].allSatisfy(\.isASCIIDigit)
    }

    /// How long an answer with this `Cache-Control` may be kept by a shared cache (RFC 9111
    /// §5.2.2), nil when not at all.
    static func freshness(_ cacheControl: String) -> Freshness? {
        var maxAge: Int?
        var immutable = false
        var isPublic = false
        for directive in cacheControl.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            switch parts[0] {
            case "private", "no-store", "no-cache": return nil
            case "public": isPublic = true
            case "immutable": immutable = true
            case "max-age", "s-maxage":
                guard parts.count == 2, let seconds = Int(parts[1]), seconds >= 0 else { return nil }
                if parts[0] == "s-maxage" || maxAge == nil { maxAge = seconds }
            default: continue
            }
        }
        guard isPublic, let maxAge, maxAge > 0 else { return nil }
        return Freshness(maxAge: .seconds(maxAge), immutable: immutable)
    }

    /// `cacheControl` with its `max-age` set to what is left of it, in whole seconds.
    static func replacingMaxAge(in cacheControl: String, with left: Duration) -> String {
        let seconds = max(0, left.components.seconds)
        return cacheControl.split(separator: ",").map { directive in
            let trimmed = directive.trimmingCharacters(in: .whitespaces)
            return trimmed.lowercased().hasPrefix("max-age=") ? "max-age=\(seconds)" : trimmed
        }.joined(separator: ", ")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
