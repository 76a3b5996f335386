/// The SRT link of a channel's active input as the receiving side measures it (libsrt's
/// `srt_bstats`, SRT RFC draft §4.10 for RTT and §4.6 for the receiver's latency): how the
/// network between the encoder and the server is doing.
public struct SRTLinkStatus: Sendable, Hashable {
    /// Smoothed round-trip time, in milliseconds.
    public var rttMilliseconds: Double
    /// Packets received since the connection started.
    public var packetsReceived: Int64
    /// Packets reported lost since the connection started (a retransmission may still recover them).
    public var packetsLost: Int64
    /// Retransmitted packets received since the connection started.
    public var packetsRetransmitted: Int64
    /// Receive rate over libsrt's last measuring interval, in bits per second.
    public var receiveBitrate: Double
    /// Receiver latency agreed in the handshake, in milliseconds.
    public var latencyMilliseconds: Int

    public init(
        rttMilliseconds: Double, packetsReceived: Int64, packetsLost: Int64, packetsRetransmitted: Int64, receiveBitrate: Double,
        latencyMilliseconds: Int
    ) {
        self.rttMilliseconds = rttMilliseconds
        self.packetsReceived = packetsReceived
        self.packetsLost = packetsLost
        self.packetsRetransmitted = packetsRetransmitted
        self.receiveBitrate = receiveBitrate
        self.latencyMilliseconds = latencyMilliseconds
    }
}
