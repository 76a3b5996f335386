/// Where and how the SRT listener accepts publishers (`srt://HOST:9000?streamid=publish:{streamKey}`).
public struct SRTIngestConfiguration: Sendable {
    public var host: String
    /// 9000 by default (ARCHITECTURE.md, Contracts: Defaults); 0 picks any free port.
    public var port: Int
    /// Receiver latency of every connection whose channel sets none, in milliseconds: libsrt's
    /// own default for live mode (120 ms).
    public var latencyMilliseconds = 120
    /// The options of the channel a stream key publishes to (passphrase, latency), read by the
    /// listen callback on libsrt's thread: it must answer at once, from memory.
    public var channelOptions: @Sendable (_ streamKey: String) -> SRTChannelOptions? = { _ in nil }
    /// Whether a channel takes encrypted publishes only, asked once a publish is granted: a key
    /// that ``channelOptions`` does not know (one minted later through the API) connects without
    /// a passphrase, and is closed here if its channel wants one.
    public var requiresEncryption: @Sendable (_ channel: String) -> Bool = { _ in false }
    /// Connections accepted and not yet closed, authorizing ones included. A caller past it is
    /// refused in the listen callback (`SRT_REJX_OVERLOAD`), so a handshake flood costs one
    /// rejection each and holds nothing. 256: more publishers than one server transcodes.
    public var maximumConnections = 256
    /// Handshakes that completed and wait for the listener to take them (`srt_listen` backlog):
    /// the listener's thread takes them within one wake-up, so 64 rides out a burst.
    public var listenBacklog = 64
    /// An accepted connection whose publish has not been granted after this long is closed (the
    /// control plane and the admission hook answer in well under a second; 10 s as RTMP's
    /// handshake timeout).
    public var authorizationTimeout: Duration = .seconds(10)
    /// A connection that sends no media for this long is closed (30 s, as RTMP's idle timeout:
    /// encoders send continuously, and SRT's keep-alives alone do not count). A peer that is gone
    /// altogether is found sooner by libsrt (`SRTO_PEERIDLETIMEO`, 5 s).
    public var idleTimeout: Duration = .seconds(30)
    /// Bytes received while the publish is being authorized, kept to be demuxed once it is
    /// granted so that the first key frame is not lost. Authorizing takes milliseconds; 1 MiB is
    /// a second at 8 Mbit/s, and bounds what the connection cap lets callers hold (256 MiB).
    public var maximumEarlyBytes = 1 << 20
    /// How often each connection's libsrt statistics are read (`srt_bstats`).
    public var statisticsInterval: Duration = .seconds(1)
    /// Channels whose primary input the server pulls from a listening encoder (caller mode),
    /// called again while the server runs: at most one per channel, so bounded by the channels
    /// declared.
    public var pulls: [SRTPull] = []

    public init(host: String = "0.0.0.0", port: Int = 9000) {
        self.host = host
        self.port = port
    }
}
