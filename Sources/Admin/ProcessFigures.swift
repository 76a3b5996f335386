#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The host's figures from `/proc` (proc(5)) and statvfs(3); nil where the host does not give
/// them (not Linux, or a file that does not read).
enum ProcessFigures {
    /// The `/proc` files read are one line (`stat`, `statm`) or a few dozen (`meminfo`, ~1.5 KB on
    /// Linux 6): 16 KB holds any of them with room.
    static let maximumFileBytes = 16 * 1024

    /// CPU time used by this process, user and system, in seconds (proc(5), /proc/pid/stat fields
    /// 14 and 15, in clock ticks).
    static func cpuSeconds() -> Double? {
        guard let text = contents(of: "/proc/self/stat"), let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name, which may hold spaces: the state is field 3.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ticks > 0 ? (user + system) / ticks : nil
    }

    /// Resident memory of this process (/proc/self/statm, field 2, in pages).
    static func residentBytes() -> Int64? {
        guard let text = contents(of: "/proc/self/statm") else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int64(fields[1]) else { return nil }
        return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The host's memory (/proc/meminfo, `MemTotal`, in kB).
    static func totalMemoryBytes() -> Int64? {
        guard let text = contents(of: "/proc/meminfo") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ")
            guard fields.count > 1, let kilobytes = Int64(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }

    static var cores: Int? {
        let count = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return count > 0 ? count : nil
    }

    /// The size of the filesystem holding `path` and the bytes an unprivileged process may still
    /// write there (`f_bavail`, as `df` shows).
    static func disk(_ path: String) -> (size: Int64, free: Int64)? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        let block = Int64(stats.f_frsize)
        return (Int64(stats.f_blocks) * block, Int64(stats.f_bavail) * block)
    }

    /// A small file, whole; nil if it does not open or is larger than ``maximumFileBytes``.
    static func contents(of path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: maximumFileBytes + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            count += n
        }
        guard count <= maximumFileBytes else { return nil }
        return String(decoding: bytes[..<count], as: UTF8.self)
    }
}
