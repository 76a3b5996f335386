/// Bounds on what the archive reads back from a store.
public enum ArchiveLimits {
    /// Largest object read back: a 2 s segment at 50 Mbit/s is 12.5 MB; a 10 s one at 80 Mbit/s
    /// is 100 MB. Anything larger is not ours.
    public static let maximumObjectSize = 128 * 1024 * 1024
    /// Objects listed under one prefix: an hour of 1 s segments of 30 renditions is 108,000; more
    /// is a runaway listing.
    public static let maximumListing = 250_000
}
