/// What a channel asks of the SRT connections that publish to it, set on each connection by the
/// listen callback before it is accepted.
public struct SRTChannelOptions: Sendable, Hashable {
    /// AES encryption (`SRTO_PASSPHRASE`): a caller must give the same passphrase, or libsrt
    /// refuses its handshake. Secret: never logged. Nil: no encryption.
    public var passphrase: String?
    /// Receiver latency (`SRTO_RCVLATENCY`), in milliseconds; nil takes the listener's.
    public var latencyMilliseconds: Int?

    public init(passphrase: String? = nil, latencyMilliseconds: Int? = nil) {
        self.passphrase = passphrase
        self.latencyMilliseconds = latencyMilliseconds
    }

    /// SRT's passphrase length: 10 to 79 characters (libsrt `srt_setsockopt(SRTO_PASSPHRASE)`,
    /// from HaiCrypt's `HAICRYPT_SECRET_MAX_SZ`).
    public static let passphraseLength = 10...79

    /// Latencies libsrt is given: up to a minute. SRT's latency is a buffer of the network's
    /// round trips (4 × RTT is the usual advice, 120 ms is libsrt's default); past a minute it is
    /// a typo, and each millisecond is held in the receive buffer.
    public static let latencyRange = 0...60_000
}
