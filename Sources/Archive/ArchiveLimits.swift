import Containers

/// Bounds on what the archive reads back from a store.
public enum ArchiveLimits {
    /// Largest object read back: a 2 s segment at 50 Mbit/s is 12.5 MB; a 10 s one at 80 Mbit/s
    /// is 100 MB. Anything larger is not ours.
    public static let maximumObjectSize = 128 * 1024 * 1024
    /// Objects listed under one prefix: an hour of 1 s segments of 30 renditions is 108,000; more
    /// is a runaway listing.
    public static let maximumListing = 250_000
    /// Markers kept with one segment: the packager starts at most the markers that wait for a
    /// segment on one (32, twice the hub's queue of 16 per channel), and as many ad breaks may
    /// return there. More are not ours: a segment's markers' object that lists more is refused,
    /// and the writer keeps the first 64.
    public static let maximumMarkersPerSegment = 64
    /// Largest markers' object read back: 64 markers with two cues of the longest SCTE-35
    /// section (4,096 bytes, 5,464 in base64) each are under 720 KB.
    public static let maximumMarkersObjectSize = 1024 * 1024
}
