#if canImport(Glibc)
import CMalloc
#endif
import Foundation
import Logging
import NIOCore

/// How glibc's allocator is set up for a long-running server, before the first channel.
///
/// Left to its defaults, glibc keeps memory that a live server has freed: media buffers are
/// allocated and freed all day at sizes that vary with the bitrate, and the first freed buffer over
/// the mmap threshold raises that threshold (up to 32 MB), so later ones come from the heap and
/// leave holes there; each of up to eight arenas per core keeps its own holes. With publishers
/// that come and go every few seconds, a server's RSS went on growing long after its live windows
/// were full: by 14 kB a publish with the defaults, by 4 kB with these settings, which stopped
/// growing sooner and 11 MB lower (`bench/churn.py`, bench/README.md). Each setting may be
/// overridden by its glibc environment variable (`MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_`,
/// `MALLOC_TRIM_THRESHOLD_`), which then wins.
enum AllocatorPolicy {
    /// Buffers of this size and more are mapped on their own and given back to the system when
    /// freed. A fixed value also turns glibc's sliding threshold off. A 1 Mbit/s part (~60 KB) stays
    /// on the heap.
    static let mmapThreshold: Int32 = 64 * 1024
    /// Free memory at the top of a heap past this much is given back.
    static let trimThreshold: Int32 = 1024 * 1024

    /// Arenas: one per core, at least two. Threads share them, which costs little beside the
    /// event loops' own allocation pattern, and bounds the holes to as many heaps.
    static func arenas(cores: Int) -> Int32 { Int32(max(2, min(cores, 64))) }

    static func apply(logger: Logger) {
        #if canImport(Glibc)
        let environment = ProcessInfo.processInfo.environment
        let cores = System.coreCount
        var set: [String] = []
        if environment["MALLOC_ARENA_MAX"] == nil, mallopt(M_ARENA_MAX, arenas(cores: cores)) == 1 {
            set.append("arenas \(arenas(cores: cores))")
        }
        if environment["MALLOC_MMAP_THRESHOLD_"] == nil, mallopt(M_MMAP_THRESHOLD, mmapThreshold) == 1 {
            set.append("mmap threshold \(mmapThreshold / 1024) KiB")
        }
        if environment["MALLOC_TRIM_THRESHOLD_"] == nil, mallopt(M_TRIM_THRESHOLD, trimThreshold) == 1 {
            set.append("trim threshold \(trimThreshold / 1024) KiB")
        }
        logger.debug("allocator: \(set.isEmpty ? "as the environment sets it" : set.joined(separator: ", "))")
        #endif
    }
}
