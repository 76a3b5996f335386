#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ServerCollectors {
    /// The filesystem of the data directory (database, archive on disk, logs): its size and the
    /// bytes an unprivileged process may still write (statvfs(3): `f_bavail`, as `df` shows).
    /// Nothing is reported while the directory cannot be read.
    public static func disk(path: String) -> @Sendable (inout MetricSamples) -> Void {
        { samples in
            var stats = statvfs()
            guard statvfs(path, &stats) == 0 else { return }
            let block = Double(stats.f_frsize)
            samples.gauge("antenne_data_filesystem_size_bytes", "Size of the data directory's filesystem", Double(stats.f_blocks) * block)
            samples.gauge("antenne_data_filesystem_free_bytes", "Bytes still writable on the data directory's filesystem",
                          Double(stats.f_bavail) * block)
        }
    }
}
