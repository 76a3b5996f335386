import NIOCore

/// The bounds on what a simulated viewer reads and how long it waits. A response's head is
/// bounded by NIO's HTTP decoder (80 KiB of header fields).
enum LoadGenLimits {
    /// The largest media playlist read. A 60 s live window of 2 s segments with 0.5 s parts
    /// (Antenne's defaults) renders to some 10 KB; a long DVR window of an hour to well under
    /// 1 MiB.
    static let playlistBytes = 1 << 20
    /// The largest part or segment read. A 0.5 s part at 50 Mbit/s is about 3 MiB.
    static let bodyBytes = 8 << 20
    /// How long a viewer waits before it connects again after a failure (an LL-HLS player
    /// retries; hammering a failing edge would measure the generator, not the edge).
    static let reconnectDelay = TimeAmount.seconds(1)
    /// How long a connection attempt may take on loopback before it counts as failed.
    static let connectTimeout = TimeAmount.seconds(5)
}
