import CSRT
import Hub

/// libsrt's view of one SRT publisher (`srt_bstats`), read periodically by the listener.
public struct SRTPublisherStatistics: Sendable, Hashable, Codable {
    /// The channel it publishes to (public).
    public var channel: String
    /// The channel's input it feeds (its primary or its backup).
    public var input: InputRole
    /// Smoothed round-trip time, in milliseconds (`msRTT`).
    public var rttMilliseconds: Double
    /// Receive rate over the last interval, in Mbit/s (`mbpsRecvRate`).
    public var receiveRateMbps: Double
    /// Receiver latency agreed in the handshake (`msRcvTsbPdDelay`), in milliseconds.
    public var latencyMilliseconds: Int
    /// Since the connection started.
    public var packetsReceived: Int64
    public var bytesReceived: UInt64
    /// Packets reported lost (a retransmission may still recover them) (`pktRcvLossTotal`).
    public var packetsLost: Int
    /// Retransmitted packets received (`pktRcvRetrans`, never cleared).
    public var packetsRetransmitted: Int
    /// Packets that came too late to be played and were dropped (`pktRcvDropTotal`).
    public var packetsDropped: Int
    /// Packets that could not be decrypted (a wrong key) (`pktRcvUndecryptTotal`).
    public var packetsUndecrypted: Int

    init(channel: String, input: InputRole, _ perf: SRT_TRACEBSTATS) {
        self.channel = channel
        self.input = input
        rttMilliseconds = perf.msRTT
        receiveRateMbps = perf.mbpsRecvRate
        latencyMilliseconds = Int(perf.msRcvTsbPdDelay)
        packetsReceived = perf.pktRecvTotal
        bytesReceived = perf.byteRecvTotal
        packetsLost = Int(perf.pktRcvLossTotal)
        packetsRetransmitted = Int(perf.pktRcvRetrans)
        packetsDropped = Int(perf.pktRcvDropTotal)
        packetsUndecrypted = Int(perf.pktRcvUndecryptTotal)
    }
}
