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
    /// A connection without any inbound byte for this long is closed (30 s: encoders send media
    /// continuously, and 30 s rides out a congested uplink).
    public var idleTimeout: TimeAmount = .seconds(30)
    /// Limits on the chunk stream read from every publisher.
    public var limits: RTMPLimits = .default
    /// Limits on AMF0 commands and metadata.
    public var amf0Limits: AMF0Limits = .default

    public init(host: String = "0.0.0.0", port: Int = 1935) {
        self.host = host
        self.port = port
    }
}
