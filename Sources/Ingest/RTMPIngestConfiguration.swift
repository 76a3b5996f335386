import NIOCore
import RTMP

/// Where and how the RTMP listener accepts publishers (`rtmp://HOST:1935/live/{streamKey}`).
public struct RTMPIngestConfiguration: Sendable {
    public var host: String
    /// 1935 by default (the RTMP port registered with IANA); 0 picks any free port.
    public var port: Int
    /// A handshake that has not completed after this long is closed (10 s: a real encoder needs
    /// one round trip; this also bounds how long a scanner can hold a socket).
    public var handshakeTimeout: TimeAmount = .seconds(10)
    /// RTMPS only: a TLS handshake that has not completed after this long is closed
    /// (``TLSHandshakeTimeoutHandler/defaultTimeout``).
    public var tlsHandshakeTimeout: TimeAmount = TLSHandshakeTimeoutHandler.defaultTimeout
    /// A connection without any inbound byte for this long is closed (30 s: encoders send media
    /// continuously, and 30 s rides out a congested uplink).
    public var idleTimeout: TimeAmount = .seconds(30)
    /// While media flows, a publisher's socket is read at most this often, each read taking
    /// everything that arrived meanwhile (SRS calls this merged read). An encoder writes each audio
    /// and video frame as soon as it has it, about 80 writes a second for 30 fps with AAC, and
    /// waking the event loop for each costs more than the bytes do: merging them halves the CPU of
    /// a publish. 50 ms is longer than the gap between two frames of any common stream (42 ms at
    /// 24 fps without audio), so the timer nearly always finds data waiting; it adds at most 50 ms
    /// to a part's latency (parts are 500 ms). A read that brings ``mergedReadLimit`` or more is
    /// followed by the next at once, so a high-bitrate publisher is never held back. Zero reads
    /// every write as it arrives.
    public var mediaReadInterval: TimeAmount = .milliseconds(50)
    /// Bytes in one read above which the next read is not delayed: 128 KiB in 50 ms is 20 Mbit/s,
    /// and half of what the event loop takes from a socket in one go (four 64 KiB reads).
    public var mergedReadLimit = 128 * 1024
    /// Limits on the chunk stream read from every publisher.
    public var limits: RTMPLimits = .default
    /// Limits on AMF0 commands and metadata.
    public var amf0Limits: AMF0Limits = .default

    public init(host: String = "0.0.0.0", port: Int = 1935) {
        self.host = host
        self.port = port
    }
}
