import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// An ``ArchiveStore`` in a directory: each key is a file under `root`. A file is written under a
/// temporary name (a leading `.`, which no key has) and renamed into place, so a reader, a
/// listing or a restart after `kill -9` sees whole objects only. File I/O runs on NIO's blocking
/// thread pool.
///
/// Data is not fsynced: a process crash loses nothing renamed into place, a power cut may lose the
/// last seconds. Temporary files left by a crash are removed by ``removeLeftovers()``.
public struct DiskArchiveStore: ArchiveStore {
    public let root: URL
    private let pool: NIOThreadPool

    public init(root: URL, pool: NIOThreadPool = .singleton) {
        self.root = root.standardizedFileURL
        self.pool = pool
    }

    private func path(_ key: ArchiveKey) -> String {
        // Keys have no empty, `.` or `..` component: the path stays under root.
        root.appendingPathComponent(key.value).path
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable () throws(ArchiveError) -> T) async throws(ArchiveError) -> T {
        let result: Result<T, ArchiveError>
        do {
            result = try await pool.runIfActive { () -> Result<T, ArchiveError> in
                do throws(ArchiveError) { return .success(try body()) } catch { return .failure(error) }
            }
        } catch {
            throw .unavailable("the I/O thread pool is stopped")
        }
        return try result.get()
    }

    public func put(_ key: ArchiveKey, _ data: ByteBuffer) async throws(ArchiveError) {
        try await put(key, parts: [data])
    }

    public func put(_ key: ArchiveKey, parts: [ByteBuffer]) async throws(ArchiveError) {
        let final = path(key)
        try await run { () throws(ArchiveError) in
            let directory = (final as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw Self.classify(error, "create \(directory)")
            }
            let temporary = directory + "/.\((final as NSString).lastPathComponent).\(UInt64.random(in: 0...UInt64.max)).tmp"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw Self.failure(errno, "open \(temporary)") }
            var failure: ArchiveError?
            for part in parts where failure == nil {
                part.withUnsafeReadableBytes { bytes in
                    var offset = 0
                    while offset < bytes.count {
                        let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                        if written < 0 {
                            if errno == EINTR { continue }
                            failure = Self.failure(errno, "write \(temporary)")
                            return
                        }
                        offset += written
                    }
                }
            }
            if close(fd) != 0, failure == nil { failure = Self.failure(errno, "close \(temporary)") }
            if failure == nil, rename(temporary, final) != 0 { failure = Self.failure(errno, "rename to \(final)") }
            if let failure {
                unlink(temporary)
                throw failure
            }
        }
    }

    public func get(_ key: ArchiveKey) async throws(ArchiveError) -> ByteBuffer? {
        let file = path(key)
        return try await run { () throws(ArchiveError) -> ByteBuffer? in
            try Self.read(file, from: 0, count: nil)?.data
        }
    }

    public func read(_ key: ArchiveKey, from offset: Int64, count: Int) async throws(ArchiveError) -> ObjectRange? {
        let file = path(key)
        return try await run { () throws(ArchiveError) -> ObjectRange? in
            try Self.read(file, from: offset, count: count)
        }
    }

    /// `count` bytes from `offset` (nil: the whole file, within the object size limit).
    private static func read(_ file: String, from offset: Int64, count: Int?) throws(ArchiveError) -> ObjectRange? {
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw failure(errno, "open \(file)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure(errno, "stat \(file)") }
        let total = Int64(info.st_size)
        guard offset >= 0, count ?? 0 >= 0 else { throw .malformed("a negative range of \(file)") }
        let size = Int(max(0, min(Int64(count ?? Int(total)), total - offset)))
        guard size <= ArchiveLimits.maximumObjectSize else {
            throw .malformed("\(file) is \(size) bytes, over the \(ArchiveLimits.maximumObjectSize)-byte limit")
        }
        var buffer = ByteBufferAllocator().buffer(capacity: size)
        var failure: ArchiveError?
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { bytes in
            var done = 0
            while done < size {
                let n = pread(fd, bytes.baseAddress! + done, size - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = Self.failure(errno, "read \(file)")
                    break
                }
                if n == 0 { break }
                done += n
            }
            return done
        }
        if let failure { throw failure }
        guard buffer.readableBytes == size else { throw .malformed("\(file) shrank while read") }
        return ObjectRange(data: buffer, size: total)
    }

    public func list(prefix: String) async throws(ArchiveError) -> [ArchiveObject] {
        let root = self.root
        return try await run { () throws(ArchiveError) -> [ArchiveObject] in
            // Walk only the directory the prefix names, then filter by the whole prefix.
            let directory = prefix.split(separator: "/", omittingEmptySubsequences: true).dropLast(prefix.hasSuffix("/") ? 0 : 1)
            var base = root
            for component in directory {
                guard ArchiveKey.isValid(String(component)) else { throw .invalidKey(prefix) }
                base.appendPathComponent(String(component))
            }
            guard let walker = FileManager.default.enumerator(
                at: base, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey], options: []
            ) else { return [] }
            let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
            var objects: [ArchiveObject] = []
            for case let url as URL in walker {
                let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
                guard values?.isRegularFile == true else { continue }
                let full = url.standardizedFileURL.path
                guard full.hasPrefix(rootPath) else { continue }
                let relative = String(full.dropFirst(rootPath.count))
                // Temporary files (leading '.') and anything else that is not a key are skipped.
                guard relative.hasPrefix(prefix), let key = try? ArchiveKey(relative) else { continue }
                objects.append(ArchiveObject(key: key, size: Int64(values?.fileSize ?? 0)))
                guard objects.count <= ArchiveLimits.maximumListing else {
                    throw .malformed("more than \(ArchiveLimits.maximumListing) objects under '\(prefix)'")
                }
            }
            return objects.sorted { $0.key < $1.key }
        }
    }

    /// One directory level, without walking below it.
    public func listDirectories(prefix: String) async throws(ArchiveError) -> [String] {
        guard prefix.isEmpty || (prefix.hasSuffix("/") && ArchiveKey.isValid(String(prefix.dropLast()))) else {
            throw .invalidKey(prefix)
        }
        let directory = root.appendingPathComponent(prefix).path
        return try await run { () throws(ArchiveError) -> [String] in
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory)
            } catch {
                if (error as NSError).code == NSFileReadNoSuchFileError { return [] }
                throw Self.classify(error, "list \(directory)")
            }
            return names.filter { name in
                var isDirectory: ObjCBool = false
                return ArchiveKey.isValid(name) && FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory)
                    && isDirectory.boolValue
            }.sorted()
        }
    }

    public func delete(_ keys: [ArchiveKey]) async throws(ArchiveError) {
        let paths = keys.map(path)
        let root = root.path
        try await run { () throws(ArchiveError) in
            for file in paths where unlink(file) != 0 && errno != ENOENT {
                throw Self.failure(errno, "delete \(file)")
            }
            // Directories left empty go too, deepest first, so that listings show only what holds
            // objects; one still in use is not empty and stays.
            var directories = Set(paths.map { ($0 as NSString).deletingLastPathComponent })
            while !directories.isEmpty {
                var parents: Set<String> = []
                for directory in directories where directory.count > root.count && directory.hasPrefix(root + "/") {
                    if rmdir(directory) == 0 { parents.insert((directory as NSString).deletingLastPathComponent) }
                }
                directories = parents
            }
        }
    }

    /// Deletes temporary files a crash left behind (names starting with `.` and ending `.tmp`).
    /// Returns how many it removed.
    @discardableResult
    public func removeLeftovers() async throws(ArchiveError) -> Int {
        let root = self.root
        return try await run { () throws(ArchiveError) -> Int in
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return 0 }
            var removed = 0
            for case let url as URL in walker where url.lastPathComponent.hasPrefix(".") && url.lastPathComponent.hasSuffix(".tmp") {
                if unlink(url.path) == 0 { removed += 1 }
            }
            return removed
        }
    }

    static func failure(_ code: Int32, _ what: String) -> ArchiveError {
        let message = "\(what): \(String(cString: strerror(code)))"
        switch code {
        case ENOSPC, EDQUOT: return .full(message)
        default: return .unavailable(message)
        }
    }

    static func classify(_ error: any Error, _ what: String) -> ArchiveError {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return failure(Int32(underlying.code), what)
        }
        if nsError.domain == NSPOSIXErrorDomain { return failure(Int32(nsError.code), what) }
        return .unavailable("\(what): \(error)")
    }
}
